#include "experiments/judging/score_judgement.h"

#include <boost/json/parse.hpp>

#include "experiments/judging/judge_text.h"

namespace switchyard::experiments {

canonical::ChatRequest ScoreQuestion(std::string_view prompt, std::string_view rubric,
                                     std::string_view request_text, std::string_view answer) {
  canonical::ChatRequest question;
  question.messages.push_back(JudgeMessage(canonical::Role::kSystem, WithRubric(prompt, rubric)));
  question.messages.push_back(JudgeMessage(
      canonical::Role::kUser,
      Fenced("request", request_text) + "\n\nAnswer:\n" + Fenced("answer", answer)));
  question.temperature = 0;
  question.max_tokens = 200;
  return question;
}

Result<int> ParseScoreVerdict(std::string_view answer) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(JsonObjectIn(answer), error);
  const boost::json::object* object = error ? nullptr : parsed.if_object();
  const boost::json::value* score = object ? object->if_contains("score") : nullptr;
  if (score != nullptr && score->is_int64() && score->as_int64() >= 1 && score->as_int64() <= 10) {
    return static_cast<int>(score->as_int64());
  }
  return Error::UpstreamProtocol(
      "the judge's verdict is not a JSON object {\"score\": an integer from 1 to 10}");
}

}  // namespace switchyard::experiments

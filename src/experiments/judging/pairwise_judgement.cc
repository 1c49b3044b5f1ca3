#include "experiments/judging/pairwise_judgement.h"

#include <boost/json/parse.hpp>

#include "experiments/judging/judge_text.h"

namespace switchyard::experiments {

namespace json = boost::json;

canonical::ChatRequest PairwiseQuestion(std::string_view prompt, std::string_view rubric,
                                        std::string_view request_text, std::string_view answer_1,
                                        std::string_view answer_2) {
  canonical::ChatRequest question;
  question.messages.push_back(JudgeMessage(canonical::Role::kSystem, WithRubric(prompt, rubric)));
  question.messages.push_back(JudgeMessage(canonical::Role::kUser, Fenced("request", request_text) +
                                                              "\n\nAnswer 1:\n" +
                                                              Fenced("answer", answer_1) +
                                                              "\n\nAnswer 2:\n" +
                                                              Fenced("answer", answer_2)));
  question.temperature = 0;
  question.max_tokens = 200;
  return question;
}

Result<Preference> ParsePairwiseVerdict(std::string_view answer) {
  boost::system::error_code error;
  const json::value parsed = json::parse(JsonObjectIn(answer), error);
  const json::object* object = error ? nullptr : parsed.if_object();
  const json::value* winner = object ? object->if_contains("winner") : nullptr;
  if (winner != nullptr && winner->is_int64()) {  // 1 or 2 as numbers: the judge's loose JSON
    if (winner->as_int64() == 1) return Preference::kFirst;
    if (winner->as_int64() == 2) return Preference::kSecond;
  }
  const json::string* text = winner ? winner->if_string() : nullptr;
  if (text != nullptr && *text == "1") return Preference::kFirst;
  if (text != nullptr && *text == "2") return Preference::kSecond;
  if (text != nullptr && *text == "tie") return Preference::kTie;
  return Error::UpstreamProtocol(
      "the judge's verdict is not a JSON object {\"winner\": \"1\" | \"2\" | \"tie\"}");
}

Outcome CombineOrders(Preference a_first, Preference b_first) {
  // a_first: A is Answer 1; b_first: B is Answer 1.
  const bool b_wins_once = a_first == Preference::kSecond;
  const bool b_wins_twice = b_first == Preference::kFirst;
  const bool a_wins_once = a_first == Preference::kFirst;
  const bool a_wins_twice = b_first == Preference::kSecond;
  if (b_wins_once && b_wins_twice) return Outcome::kBWins;
  if (a_wins_once && a_wins_twice) return Outcome::kAWins;
  return Outcome::kTie;
}

double OutcomeValue(Outcome outcome) {
  switch (outcome) {
    case Outcome::kBWins: return 1.0;
    case Outcome::kAWins: return 0.0;
    case Outcome::kTie: return 0.5;
  }
  return 0.5;
}

}  // namespace switchyard::experiments

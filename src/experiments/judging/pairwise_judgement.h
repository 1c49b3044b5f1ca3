// A pairwise judgement of two answers to one request (issue 17, "Judging"): the judge model sees
// them anonymised as "Answer 1" and "Answer 2", never the models' names, and is asked twice, once
// in each order, because position alone flips a fair share of verdicts. B wins only when both
// orders agree that it does; any disagreement, or a tie in either order, is a tie. Its verdict is
// a JSON object; a malformed one is retried once by the caller and then recorded as invalid,
// never guessed (ParseJudgeVerdict says which).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::experiments {

// The default judge prompt (the README shows it); `{rubric}` is replaced by the experiment's.
inline constexpr std::string_view kDefaultPairwisePrompt =
    "You compare two answers to the same request. Judge which answer serves the request better: "
    "correct, complete, helpful and honest, following the request's instructions. Ignore the "
    "answers' length and style unless the request asks for them, and ignore their order. {rubric}"
    "Reply with one JSON object only: {\"winner\": \"1\" | \"2\" | \"tie\", \"reason\": \"one "
    "short sentence\"}.";

// The request the judge gets: the prompt as its system message, then the request's last user
// text and the two answers, fenced so that neither can speak to the judge.
canonical::ChatRequest PairwiseQuestion(std::string_view prompt, std::string_view rubric,
                                        std::string_view request_text, std::string_view answer_1,
                                        std::string_view answer_2);

// One order's verdict, in the judge's own terms.
enum class Preference { kFirst, kSecond, kTie };

// The verdict from the judge's answer text; kUpstreamProtocol naming what is wrong when it is not
// `{"winner": "1"|"2"|"tie", ...}` (a ```json fence around it is allowed: judges add one).
Result<Preference> ParsePairwiseVerdict(std::string_view answer);

// B against A over both orders: `a_first` judged (A as Answer 1, B as Answer 2), `b_first` the
// other way round.
enum class Outcome { kBWins, kAWins, kTie };
Outcome CombineOrders(Preference a_first, Preference b_first);

// The outcome as the sequential test reads it: B's win 1, tie 0.5, loss 0.
double OutcomeValue(Outcome outcome);

}  // namespace switchyard::experiments

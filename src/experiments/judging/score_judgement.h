// A single answer scored against the experiment's rubric, 1 to 10 (issue 17, `mode: score`): for
// "is this good enough" questions, where there is no second answer to compare with. As for
// pairwise judging, the verdict is a JSON object, a malformed one is retried once by the caller and
// then recorded as invalid, never guessed.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::experiments {

inline constexpr std::string_view kDefaultScorePrompt =
    "You grade one answer to a request against a rubric. {rubric}Score how well the answer "
    "serves the request from 1 (useless or wrong) to 10 (could not be better). Reply with one "
    "JSON object only: {\"score\": 1..10, \"reason\": \"one short sentence\"}.";

canonical::ChatRequest ScoreQuestion(std::string_view prompt, std::string_view rubric,
                                     std::string_view request_text, std::string_view answer);

// The score, an integer from 1 to 10; kUpstreamProtocol for anything else.
Result<int> ParseScoreVerdict(std::string_view answer);

}  // namespace switchyard::experiments

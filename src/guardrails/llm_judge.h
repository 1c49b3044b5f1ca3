// An llm guardrail's question to its judge model and the reading of its answer (CONTRACT.md
// "Guardrails": `check: llm`, a configured model grading against a rubric), without the call
// itself (gateway/judge_attempt.h makes it, priced as an attempt of kind `guardrail`). The judge is
// told to treat the text as data and to answer PASS or FAIL as its first word, then why.
#pragma once

#include <string>
#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"
#include "guardrails/guardrail_set.h"

namespace switchyard::guardrails {

// The judge's request (temperature 0, the guardrail's max_tokens), for `model` as sent upstream.
canonical::ChatRequest JudgeRequest(const Guardrail& guardrail, std::string_view text,
                                    std::string_view model);

struct JudgeVerdict {
  bool fired = false;  // the text failed the rubric
  std::string reason;  // the judge's why, printable and cut short; "the judge said FAIL" if none
};

// The judge's answer; an error (kUpstreamProtocol) when its text does not begin with PASS or FAIL
// — which the guardrail's on_timeout then decides, like a timeout.
Result<JudgeVerdict> ReadJudgeAnswer(const canonical::ChatResponse& answer);

}  // namespace switchyard::guardrails

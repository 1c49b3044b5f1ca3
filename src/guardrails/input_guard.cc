#include "guardrails/input_guard.h"

#include <fmt/format.h>

#include "guardrails/text_guard.h"

namespace switchyard::guardrails {

GuardOutcome GuardInput(std::span<const Guardrail* const> guardrails,
                        canonical::ChatRequest& request, const RequestFacts& facts) {
  GuardOutcome outcome;
  for (const Guardrail* guardrail : guardrails) {
    if (auto reason = guardrail->check->JudgeRequest(facts)) {
      if (!Act(*guardrail, std::move(*reason), outcome)) break;
    }
  }
  if (outcome.stopped == nullptr) {
    std::vector<GuardedText> texts = TextsOf(request);
    RunTextGuards(guardrails, texts, outcome);
  }
  return outcome;
}

Error InputDeniedError(const Guardrail& guardrail, std::string_view reason) {
  Error error = Error::InvalidRequest(
      fmt::format("guardrail '{}' denied the request: {}", guardrail.config.name, reason));
  error.code = "guardrail_denied";
  return error;
}

}  // namespace switchyard::guardrails

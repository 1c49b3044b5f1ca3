#include "guardrails/output_guard.h"

#include <fmt/format.h>

#include "guardrails/message_texts.h"
#include "guardrails/text_guard.h"

namespace switchyard::guardrails {

GuardOutcome GuardAnswer(std::span<const Guardrail* const> guardrails,
                         canonical::ChatResponse& response) {
  GuardOutcome outcome;
  std::vector<GuardedText> texts;
  AppendTexts(response.message, texts);
  RunTextGuards(guardrails, texts, outcome);
  return outcome;
}

Error OutputDeniedError(const Guardrail& guardrail, std::string_view reason) {
  Error error = Error::UpstreamProtocol(
      fmt::format("guardrail '{}' refused the answer: {}", guardrail.config.name, reason));
  error.type = "api_error";
  error.code = "guardrail_denied";
  return error;
}

}  // namespace switchyard::guardrails

// GuardAnswer: a call's output guardrails over a whole answer (canonical form), before it reaches
// the client: a deny or a fallback refuses it (OutputDeniedError; fallback lets the route try its
// next target), a redaction rewrites its text and tool arguments in place, a flag records.
#pragma once

#include <span>
#include <string_view>

#include "canonical/chat.h"
#include "core/error.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"

namespace switchyard::guardrails {

GuardOutcome GuardAnswer(std::span<const Guardrail* const> guardrails,
                         canonical::ChatResponse& response);

// 502, type api_error, code guardrail_denied: "guardrail 'NAME' refused the answer: REASON".
Error OutputDeniedError(const Guardrail& guardrail, std::string_view reason);

}  // namespace switchyard::guardrails

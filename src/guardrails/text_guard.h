// RunTextGuards: the span and text checks of some guardrails over the texts of a request or an
// answer (guardrails/message_texts.h), in order — a deny (or fallback) stops at once; a redaction
// rewrites the texts in place (inside JSON strings only, for tool arguments); a flag only records.
// Request checks are not run here (guardrails/input_guard.h runs them), nor external ones (the
// gateway asks those afterwards: gateway/external_guardrails.h).
#pragma once

#include <span>
#include <vector>

#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "guardrails/message_texts.h"

namespace switchyard::guardrails {

void RunTextGuards(std::span<const Guardrail* const> guardrails, std::vector<GuardedText>& texts,
                   GuardOutcome& outcome);

// The spans `guardrail` (a span check) finds in `text`, sorted and merged.
std::vector<TextSpan> SpansOf(const Guardrail& guardrail, std::string_view text);

// "email, phone found": the kinds of `spans`, each once, for a reason that never quotes the text.
std::string FoundReason(const std::vector<TextSpan>& spans);

// Applies `guardrail`'s action for a finding; false when it stops the call.
bool Act(const Guardrail& guardrail, std::string reason, GuardOutcome& outcome);

}  // namespace switchyard::guardrails

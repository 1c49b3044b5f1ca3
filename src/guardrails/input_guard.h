// GuardInput: a call's input guardrails over its request, before the cache and any upstream call
// (DESIGN.md's order): request checks on the request's shape, then span and text checks on its
// texts (guardrails/message_texts.h). A deny is the client's error; a redaction rewrites the
// canonical request, which the call then sends (re-encoded, never its raw bytes) and caches by.
#pragma once

#include <span>
#include <string_view>

#include "canonical/chat.h"
#include "core/error.h"
#include "guardrails/check.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"

namespace switchyard::guardrails {

// What the call's guardrails did; `stopped` is a deny (the caller answers InputDeniedError).
GuardOutcome GuardInput(std::span<const Guardrail* const> guardrails,
                                canonical::ChatRequest& request, const RequestFacts& facts);

// 400, type invalid_request_error, code guardrail_denied: "guardrail 'NAME' denied the request:
// REASON". The reason names what was found (kinds, a field), never the text.
Error InputDeniedError(const Guardrail& guardrail, std::string_view reason);

}  // namespace switchyard::guardrails

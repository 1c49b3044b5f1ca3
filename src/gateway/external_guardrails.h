// The guardrails that ask a service outside the gateway (CONTRACT.md "Guardrails": `webhook`),
// for one stage of one call: each is POSTed its request (guardrails/webhook_verdict.h) under its
// own deadline (timeout_ms, the whole exchange), in order, after the stage's built-in checks, until
// one stops the call. A timeout or a failed exchange (no answer, a non-2xx status, a body that is
// not a verdict) is what the guardrail's on_timeout says: deny (the check fired, and its action
// applies) or allow (logged, nothing fired). Runs on the call's strand.
#pragma once

#include <span>
#include <vector>

#include "core/asio.h"
#include "gateway/gateway_state.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "guardrails/message_texts.h"
#include "guardrails/webhook_verdict.h"

namespace switchyard::gateway {

bool HasExternal(std::span<const guardrails::Guardrail* const> guardrails);

Task<> AskExternalGuardrails(Worker& worker,
                             std::span<const guardrails::Guardrail* const> guardrails,
                             std::vector<guardrails::GuardedText>& texts,
                             const guardrails::WebhookContext& context,
                             guardrails::GuardOutcome& outcome);

}  // namespace switchyard::gateway

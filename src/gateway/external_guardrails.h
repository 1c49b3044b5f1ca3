// The guardrails that ask outside the gateway's own checks (CONTRACT.md "Guardrails"), for one
// stage of one call, in order, after the stage's built-in checks, until one stops the call:
// - `webhook`: POSTed its request (guardrails/webhook_verdict.h) under its own deadline
//   (timeout_ms, the whole exchange);
// - `llm`: its judge model asked (guardrails/llm_judge.h, gateway/judge_attempt.h), the attempt
//   priced and added to the call (Call::AddSideAttempt) whatever it answers.
// A timeout or a failed exchange (no answer, an error status, an answer that is not a verdict) is
// what the guardrail's on_timeout says: deny (the check fired, and its action applies) or allow
// (logged, nothing fired). Runs on the call's strand.
#pragma once

#include <span>
#include <vector>

#include "core/asio.h"
#include "gateway/call.h"
#include "gateway/client_watch.h"
#include "gateway/gateway_state.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "guardrails/message_texts.h"
#include "guardrails/webhook_verdict.h"

namespace switchyard::gateway {

bool HasExternal(std::span<const guardrails::Guardrail* const> guardrails);

// `watch`: the call's watch on the client, which each exchange joins while it waits, so that a
// client that leaves cancels it at once (null: none).
Task<> AskExternalGuardrails(Worker& worker, Call& call, ClientWatch* watch,
                             std::span<const guardrails::Guardrail* const> guardrails,
                             std::vector<guardrails::GuardedText>& texts,
                             const guardrails::WebhookContext& context,
                             guardrails::GuardOutcome& outcome);

}  // namespace switchyard::gateway

// A model call the gateway makes for a call beside its attempts, through the gateway's own
// providers in the target's wire format, priced and recorded as an attempt of the call it serves
// (CONTRACT.md "Admin API": its cost is the call's): an llm guardrail's judge (kind `guardrail`,
// guardrails/llm_judge.h), an experiment's shadow (kind `shadow`: the same request at another
// variant) and its judge (kind `judge`). One whole answer, never streamed.
#pragma once

#include <chrono>
#include <optional>

#include "canonical/chat.h"
#include "core/asio.h"
#include "gateway/client_watch.h"
#include "gateway/gateway_state.h"
#include "http/server/incoming_request.h"
#include "ledger/call_record.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

struct JudgeOutcome {
  ledger::AttemptRecord record;  // kind kGuardrail, priced; outcome says how it ended
  std::optional<canonical::ChatResponse> answer;  // empty when the attempt failed
};

struct SideExchange {
  const routing::PlannedTarget& target;
  // The key the call would use at that target (a per-call override included: ApiKeyFor).
  std::string_view api_key;
  ledger::AttemptKind kind;
  std::chrono::milliseconds timeout;  // bounds the whole exchange
  std::chrono::system_clock::time_point call_time;  // prices it
};

// `watch` (may be null) cancels the exchange: the client left, or the gateway stops.
Task<JudgeOutcome> RunJudgeAttempt(Worker& worker, const SideExchange& exchange,
                                   CancelScope* watch, const canonical::ChatRequest& question);

}  // namespace switchyard::gateway

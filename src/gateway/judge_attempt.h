// An llm guardrail's call to its judge model (guardrails/llm_judge.h), through the gateway's own
// providers in the judge's wire format, priced and recorded as an attempt of kind `guardrail` of
// the call it serves (CONTRACT.md "Admin API": its cost is the call's).
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

// `timeout` bounds the whole exchange; the provider key is the one the call would use at that
// target (a per-call override included); `call_time` prices it.
// `watch` (may be null) cancels the exchange when the client leaves.
Task<JudgeOutcome> RunJudgeAttempt(Worker& worker, const http::IncomingRequest& request,
                                   ClientWatch* watch, const routing::PlannedTarget& target,
                                   const canonical::ChatRequest& question,
                                   std::chrono::milliseconds timeout,
                                   std::chrono::system_clock::time_point call_time);

}  // namespace switchyard::gateway

// Attempt: one upstream try of a call, at one target. Same-format targets (the client speaks the
// provider's wire format) forward the client's bytes with only the gateway-owned fields rewritten
// (passthrough_attempt.cc); other targets translate the request, the answer and the stream through
// the canonical model (translated_attempt.cc). Both share the steps in attempt_run.h.
//
// Until the first byte reaches the client an attempt can fail without a trace on the client side,
// so the router may try another target; after that (the commit point) a failure ends the client's
// stream with the client API's error event.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/asio.h"
#include "core/error.h"
#include "gateway/call.h"
#include "gateway/answer_check.h"
#include "gateway/call_request.h"
#include "gateway/client_watch.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "ledger/call_record.h"
#include "providers/provider_adapter.h"
#include "routing/commit_point.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

struct AttemptResult {
  ledger::AttemptRecord record;
  bool committed = false;     // bytes of this attempt reached the client: the call is decided
  std::optional<Error> error; // why the attempt did not deliver an answer (absent on success)
  providers::ErrorClass error_class = providers::ErrorClass::kFatal;
  bool context_length = false;  // the provider said the prompt does not fit the model's window
  std::string retry_after;    // the provider's retry-after, when it sent one
  // On a 429: the wait until the exhausted rate limit resets, from the provider's rate-limit
  // headers (its adapter's RateLimitReset) or its error body (ProviderError::retry_delay), counted
  // from when the answer arrived; used when there is no retry-after.
  std::optional<std::chrono::milliseconds> rate_limit_reset;
  bool rejected = false;  // a success the route's accept checks refused (record.reason says why)
  // The whole answer in canonical form, when the call asked for it (CallRequest::capture_bytes:
  // the response cache stores it) and the attempt delivered it complete; empty otherwise.
  std::optional<canonical::ChatResponse> answer;
};

struct AttemptInput {
  const CallRequest* request = nullptr;
  const routing::PlannedTarget* target = nullptr;
  std::string_view api_key;  // the provider key for this call
  int n = 1;  // the router's number of the attempt (its commit point knows it by this)
  int record_n = 1;  // its number in the call's record: after any attempt made before routing
  ledger::AttemptKind kind = ledger::AttemptKind::kPrimary;
  // The time left before the call's deadline (route `retry.deadline_ms`): caps the attempt's
  // total deadline. nullopt: no call deadline.
  std::optional<std::chrono::milliseconds> time_left;
  // The call's commit point: asked before the attempt's first byte reaches the client (a refusal
  // means another attempt answers: this one ends without writing). Null: always granted.
  routing::CommitPoint* commit = nullptr;
  // The call's watch on the client (cancels the attempt when the client leaves); null: none.
  ClientWatch* watch = nullptr;
  // One of several attempts that may be in flight at once (a race or hedge): a stream is held
  // back until it delivers content, so that a stream that starts but says nothing does not win.
  bool racing = false;
  // The route's accept checks (racing only); null: any success is acceptable. A whole answer is
  // checked before the claim; a stream, when the check needs the whole answer, is held until it
  // has ended and passed.
  const AnswerCheck* check = nullptr;
};

// Asks `input`'s commit point for the call on behalf of its attempt.
inline bool ClaimCommit(const AttemptInput& input) {
  return input.commit == nullptr || input.commit->Claim(input.n);
}

// Runs one attempt, forwarding or translating as the target's wire format requires.
Task<AttemptResult> RunAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                               const AttemptInput& input);

// The kinds, for RunAttempt (gateway/attempt_path.h decides which).
Task<AttemptResult> RunPassthroughAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                                          const AttemptInput& input);
Task<AttemptResult> RunTranslatedAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                                         const AttemptInput& input);
// count_tokens at a target without the endpoint: answers the gateway's estimate (no upstream call)
// and records it as an attempt at that target, at no cost (local_attempt.cc).
Task<AttemptResult> RunTokenEstimateAttempt(Call& call, http::Downstream& downstream,
                                            const AttemptInput& input);
// A target that cannot serve the call's operation: a failed attempt with a fatal error.
Task<AttemptResult> RunRefusedAttempt(const AttemptInput& input);

}  // namespace switchyard::gateway

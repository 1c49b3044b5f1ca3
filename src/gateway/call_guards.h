// CallGuards: one call's guardrails (CONTRACT.md "Guardrails"), for ProxiedCall:
//   Prepare — the call's guardrails (global, the route's, the key's; none: nothing else runs and
//             the call pays nothing more) and the input's built-in checks, before the cache;
//   AskExternal — the input's webhooks and judges, awaited after them.
// Chat calls run on the canonical request; a redaction rewrites it and sends every attempt
// through the canonical model (CallRequest::through_canonical), as do output guardrails, whose
// checks the attempts run (translated_attempt.cc). Embeddings calls are checked on their `input`
// strings; a redaction there rewrites the body the provider gets. count_tokens calls are not
// checked. One per call, on the call's strand.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/asio.h"
#include "gateway/call.h"
#include "gateway/call_request.h"
#include "gateway/client_watch.h"
#include "governance/key_record.h"
#include "guardrails/guard_outcome.h"
#include "guardrails/guardrail_set.h"
#include "json/object_scan.h"

namespace switchyard::gateway {

class CallGuards {
 public:
  CallGuards(Worker& worker, Call& call) : worker_(worker), call_(call) {}

  // `route_names`: the guardrails of the route the call takes (an inline route's too). Errors: a
  // deny (400 guardrail_denied), an undefined name, `n` above 1 with output guardrails.
  Status Prepare(std::span<const std::string> route_names, const governance::KeyRecord& key,
                 CallRequest& call_request);
  // `watch`: the call's watch on the client, which cancels them if it leaves.
  // The watch is stopped again before they return (the call may answer next).
  Task<Status> AskExternal(CallRequest& call_request, ClientWatch& watch);
  // Whether the input has webhooks or judges to ask (else AskExternal does nothing).
  bool asks_outside() const;

 private:
  Status Guard(CallRequest& call_request);
  Status Conclude(const guardrails::GuardOutcome& outcome, CallRequest& call_request);
  Status DecodeCanonical(CallRequest& call_request);
  Status TakeEmbeddingsInput(CallRequest& call_request);
  Status RewriteEmbeddingsInput(CallRequest& call_request);
  bool AsksSeveralChoices(const CallRequest& call_request) const;

  Worker& worker_;
  Call& call_;
  guardrails::CallGuardrails guards_;  // the call's; CallRequest::guardrails points here
  std::string body_;                   // a redacted embeddings body, and its scan
  std::optional<json::ObjectScan> scan_;
};

}  // namespace switchyard::gateway

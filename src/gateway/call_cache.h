// CallCache: one call's use of the response cache (CONTRACT.md "Cache"), for ProxiedCall:
//   Prepare        — the policy from the call's headers and route (off: nothing else runs and the
//                    call pays nothing more), the request's keys from its canonical form;
//   LookupExact    — before admission and routing: an identical request's answer;
//   LookupSemantic — after admission (its embedding call costs): one that means the same;
//   Replay         — a hit answered in the client's API and mode, recorded as one attempt of kind
//                    `cache` at $0 with the spend it saved;
//   Store          — after a miss, the answer the plan delivered, unless it must not be kept.
// One per call, on the call's strand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cache/cache_entry.h"
#include "cache/cache_key.h"
#include "cache/cache_policy.h"
#include "core/asio.h"
#include "gateway/attempt.h"
#include "gateway/call.h"
#include "gateway/call_request.h"
#include "governance/key_record.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

class CallCache {
 public:
  CallCache(Worker& worker, Call& call, const http::IncomingRequest& request)
      : worker_(worker), call_(call), request_(request) {}

  // Whether and how the call uses the cache; its keys. A bad cache header is the client's 400.
  // Decodes the canonical request into `call_request` when the call had not (pass-through).
  Status Prepare(const routing::Plan& plan, const governance::KeyRecord& key,
                 CallRequest& call_request);

  bool active() const { return policy_.has_value(); }
  bool hit() const { return entry_.has_value(); }

  Task<bool> LookupExact();
  Task<bool> LookupSemantic();
  // Answers the call from the hit; the client's codec re-encodes the stored answer.
  Task<> Replay(http::Downstream& downstream, const CallRequest& call_request);
  // Keeps the answer `result` delivered (a complete success), unless the call's policy or the
  // answer forbid it.
  Task<> Store(const AttemptResult& result);
  // The call found nothing it could reuse and goes to its plan (for the metrics).
  void CountMiss();

 private:
  void Outcome(std::string outcome);
  Status NotCached(std::string why);
  int NextAttemptNumber() const;
  bool OutputGuardrailFired() const;

  Worker& worker_;
  Call& call_;
  const http::IncomingRequest& request_;
  std::optional<cache::CachePolicy> policy_;
  cache::CacheKeys keys_;
  std::optional<cache::CacheEntry> entry_;  // the hit
  std::optional<double> similarity_;         // a semantic hit's
  std::vector<float> vector_;                // the request's embedding, for the entry it writes
  std::vector<std::string> output_guardrails_;  // "name:" of each output guardrail of the call
};

}  // namespace switchyard::gateway

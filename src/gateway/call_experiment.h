// CallExperiment: one call's part in an `ab` experiment (issue 17), for ProxiedCall:
//   Assign     — before routing: the variant, from the shares in force and the call's sticky value
//                (the route's `sticky` metadata key, else the gateway key, else the request id),
//                told to routing (RequestFeatures::variant) and recorded (CallRecord::variant,
//                epoch); and whether the call is in the judging sample — then its answer is kept
//                in canonical form (CallRequest::capture_bytes) and its request decoded.
//   AfterAnswer — once the client has its answer: a sampled call's judging, started in the
//                worker's background (gateway/experiment_judging.h) when the experiment's spend
//                cap and in-flight bound allow.
// Nothing at all for a call of another route. One per call, on the call's strand.
#pragma once

#include <memory>
#include <string>

#include "gateway/attempt.h"
#include "gateway/call.h"
#include "gateway/call_request.h"
#include "gateway/experiment_registry.h"
#include "governance/key_record.h"
#include "routing/model_resolver.h"
#include "routing/request_features.h"

namespace switchyard::gateway {

class CallExperiment {
 public:
  CallExperiment(Worker& worker, Call& call) : worker_(worker), call_(call) {}

  // `plan` is the call's; nothing happens unless it is an ab route's.
  void Assign(std::shared_ptr<const routing::Plan> plan, const governance::KeyRecord& key,
              routing::RequestFeatures& features, CallRequest& call_request);
  // Whether the call is judged (its request must then be decoded into canonical form).
  bool sampled() const { return sampled_; }

  // `result` is the attempt that answered; `call_request` the call's.
  void AfterAnswer(const AttemptResult& result, const CallRequest& call_request);

 private:
  Worker& worker_;
  Call& call_;
  std::shared_ptr<const routing::Plan> plan_;
  std::shared_ptr<const LiveExperiment> experiment_;
  std::size_t variant_ = 0;
  bool sampled_ = false;
};

}  // namespace switchyard::gateway

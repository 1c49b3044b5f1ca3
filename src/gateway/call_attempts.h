// CallAttempts: the gateway's AttemptRunner (routing/attempt_runner.h) for one call — it runs the
// attempt the router orders at the target it names (attempt.h: forwarded, translated or answered
// locally, as gateway/attempt_path.h decides for the call's operation and formats), appends the
// attempt's record to the call's, and reports to the router what routing needs. It keeps the last
// attempt's full result, which the call's conclusion answers from.
//
// One per call, on the call's strand.
#pragma once

#include <optional>

#include "gateway/attempt.h"
#include "gateway/call.h"
#include "gateway/call_request.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "routing/attempt_runner.h"

namespace switchyard::gateway {

class CallAttempts final : public routing::AttemptRunner {
 public:
  CallAttempts(Worker& worker, Call& call, http::Downstream& downstream,
               const http::IncomingRequest& request, const CallRequest& call_request)
      : worker_(worker), call_(call), downstream_(downstream), request_(request),
        call_request_(call_request) {}

  Task<routing::AttemptReport> Run(const routing::AttemptOrder& order) override;
  bool ReachesProvider(const routing::PlannedTarget& target) const override;
  bool client_gone() const override { return downstream_.client_gone(); }

  // The latest attempt's result; nullopt before the first.
  const std::optional<AttemptResult>& last() const { return last_; }

 private:
  Worker& worker_;
  Call& call_;
  http::Downstream& downstream_;
  const http::IncomingRequest& request_;
  const CallRequest& call_request_;
  std::optional<AttemptResult> last_;
};

// An attempt that timed out once the call's deadline had passed (its total was capped to the time
// left) was cut by that deadline: its error says so (routing::DeadlineError) rather than name the
// provider's total_ms.
void NoteDeadlineCut(const routing::AttemptOrder& order, AttemptResult& result);

// What the router learns from an attempt's result (`now`: for a retry-after given as a date).
routing::AttemptReport ReportOf(const AttemptResult& result,
                                std::chrono::system_clock::time_point now);

}  // namespace switchyard::gateway

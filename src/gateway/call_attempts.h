// CallAttempts: the gateway's AttemptRunner (routing/attempt_runner.h) for one call — it runs the
// attempt the router orders at the target it names (attempt.h: forwarded, translated or answered
// locally, as gateway/attempt_path.h decides for the call's operation and formats), appends the
// attempt's record to the call's, and reports to the router what routing needs. It keeps the
// answering attempt's full result (else the latest's), which the call's conclusion answers from,
// and the call's one watch on the client, which every attempt in flight joins.
//
// One per call, on the call's strand.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>

#include "gateway/attempt.h"
#include "gateway/call.h"
#include "gateway/call_request.h"
#include "gateway/client_watch.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "routing/attempt_runner.h"

namespace switchyard::gateway {

class CallAttempts final : public routing::AttemptRunner {
 public:
  CallAttempts(Worker& worker, Call& call, http::Downstream& downstream,
               const http::IncomingRequest& request, const CallRequest& call_request);

  Task<routing::AttemptReport> Run(const routing::AttemptOrder& order) override;
  bool ReachesProvider(const routing::PlannedTarget& target) const override;
  bool client_gone() const override { return downstream_.client_gone(); }

  // Builds, for this call, the accept checks of every race or hedge in `plan` (nested ones too)
  // that has them. Errors: the request's output schema cannot be read or checked (the client's).
  Status PrepareChecks(const routing::Plan& plan);

  // Ends the call's watch on the client. Once the router is done, before the call answers.
  Task<> StopWatching() { return watch_.Stop(); }
  // The watch, for what the call asks before the plan runs (the input's webhooks and judges); it
  // is stopped after them, before the call may answer, and the attempts start it again.
  ClientWatch& watch() { return watch_; }

  // The prompt estimate, which a model's input-token limit takes before each attempt.
  void set_input_estimate(std::int64_t tokens) { input_estimate_ = tokens; }
  // Attempts the call made before the plan ran (the semantic cache's embedding): the router's
  // attempts are numbered after them in the record.
  void set_attempts_before(int count) { attempts_before_ = count; }

  // The result the call concludes from: the attempt that reached the client (committed), else the
  // latest to end; nullopt before the first.
  const std::optional<AttemptResult>& conclusive() const { return answer_ ? answer_ : last_; }

 private:
  // Resumes once no attempt but the answering one is in flight (Call::set_others_in_flight).
  Task<> WaitForOthers();
  // The model's own rate limits (governance.limits "model:…"): when one is used up the attempt is
  // not sent, and is recorded as rate_limited with the limit's retry-after. After an attempt that
  // was sent, its tokens count against the model's token limits.
  Task<std::optional<governance::Refusal>> ModelLimitRefusal(const AttemptInput& input);
  Task<> CountModelTokens(const AttemptInput& input, const canonical::Usage& usage);
  // The checks of `race`'s accept for this call; null when it has none.
  const AnswerCheck* CheckFor(const routing::Plan* race);

  Worker& worker_;
  Call& call_;
  http::Downstream& downstream_;
  const http::IncomingRequest& request_;
  const CallRequest& call_request_;
  ClientWatch watch_;
  int running_ = 0;  // attempts in flight
  std::int64_t input_estimate_ = 0;
  int attempts_before_ = 0;
  std::optional<net::steady_timer> ended_;  // cancelled whenever an attempt ends
  std::optional<AttemptResult> answer_;
  std::optional<AttemptResult> last_;
  std::map<const routing::Plan*, std::unique_ptr<AnswerCheck>> checks_;  // by race plan
};

// An attempt that timed out once the call's deadline had passed (its total was capped to the time
// left) was cut by that deadline: its error says so (routing::DeadlineError) rather than name the
// provider's total_ms.
void NoteDeadlineCut(const routing::AttemptOrder& order, AttemptResult& result);

// What the router learns from an attempt's result (`now`: for a retry-after given as a date).
routing::AttemptReport ReportOf(const AttemptResult& result,
                                std::chrono::system_clock::time_point now);

}  // namespace switchyard::gateway

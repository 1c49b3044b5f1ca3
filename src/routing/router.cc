#include "routing/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "routing/backoff.h"
#include "routing/lanes.h"
#include "routing/retry_policy.h"
#include "routing/strategy.h"
#include "routing/strategy_support.h"

namespace switchyard::routing {

Error DeadlineError(config::Millis deadline) {
  return Error::UpstreamTimeout(fmt::format(
      "the route's deadline_ms ({} ms) passed before the provider answered", deadline.count()));
}

Router::Router(RouterEnvironment environment) : env_(std::move(environment)) {}

Task<RouterVerdict> Router::Run(const Plan& plan) {
  co_await RunPlan(plan, Scope{});
  co_return verdict_;
}

// Runs a plan's steps in its strategy's order, as many at once as its launch policy allows, until
// the call is decided or every step has failed. A nested route runs as one step.
Task<> Router::RunPlan(const Plan& plan, Scope outer) {
  const Scope scope = Narrowed(outer, plan.retry);
  const std::vector<std::size_t> order = StepOrder(plan);
  Lanes lanes(co_await net::this_coro::executor, plan.launch.max_in_flight);
  for (std::size_t index : order) {
    co_await lanes.WaitForRoom();
    if (decided()) break;
    const PlanStep& step = plan.steps[index];
    // After a context-length error only a larger window is worth trying (MovesOnToLargerWindow).
    if (!step.route && !FitsWindow(step.target)) continue;
    co_await lanes.Launch(RunStep(step, plan.retry, scope));
  }
  co_await lanes.WaitForAll();
}

Task<> Router::RunStep(const PlanStep& step, const config::RetryPolicy& retry, Scope scope) {
  if (step.route) {
    co_await RunPlan(*step.route, scope);
  } else {
    co_await RunTarget(step.target, retry, scope);
  }
}

// Tries one target, retrying as the policy allows while the deadline leaves time for it.
Task<> Router::RunTarget(const PlannedTarget& target, const config::RetryPolicy& retry,
                         Scope scope) {
  std::optional<AttemptReport> previous;
  for (int try_index = 0; try_index < retry.attempts && !decided(); ++try_index) {
    if (previous) {
      const std::chrono::milliseconds wait =
          RetryBackoff(try_index - 1, previous->provider_wait.wait, *env_.rng);
      if (scope.deadline && env_.clock->Now() + wait >= *scope.deadline) break;  // too late
      co_await env_.clock->Sleep(wait);
      if (decided()) break;  // another lane answered meanwhile
    }
    const std::optional<std::chrono::milliseconds> time_left = TimeLeft(scope);
    if (time_left && time_left->count() <= 0) {
      verdict_.deadline_stopped = true;
      verdict_.deadline = scope.deadline_ms;
      break;
    }
    const AttemptKind kind = previous               ? AttemptKind::kRetry
                             : verdict_.attempts > 0 ? AttemptKind::kFallback
                                                     : AttemptKind::kPrimary;
    AttemptReport report = co_await RunAttempt(target, kind, scope);
    Settle(target, report);
    if (decided() || !ShouldRetry(report, retry)) break;
    previous = std::move(report);
  }
}

// One attempt, framed by the breaker (a half-open target's probe is claimed as it starts) and the
// feedback of its outcome. Attempts the gateway answers itself leave both alone.
Task<AttemptReport> Router::RunAttempt(const PlannedTarget& target, AttemptKind kind,
                                       Scope scope) {
  AttemptOrder order;
  order.target = &target;
  order.n = ++verdict_.attempts;
  order.kind = kind;
  order.time_left = TimeLeft(scope);
  order.deadline = scope.deadline_ms;
  order.commit = &commit_;
  const bool upstream = env_.runner->ReachesProvider(target);
  std::string scratch;  // the key of a target planned per call; compiled plans carry theirs
  const std::string_view key = internal::KeyOf(target, &scratch);
  if (upstream && env_.feedback.health != nullptr) {
    env_.feedback.health->BeginAttempt(key, env_.clock->Now());
  }
  AttemptReport report = co_await env_.runner->Run(order);
  if (upstream) ReportOutcome(env_.feedback, key, report, env_.stream, env_.clock->Now());
  co_return report;
}

// Whether the call is decided by this attempt.
void Router::Settle(const PlannedTarget& target, const AttemptReport& report) {
  const bool unmendable =
      report.failure == FailureClass::kFatal && !MovesOnToLargerWindow(target, report);
  if (!report.error || report.committed || env_.runner->client_gone() || unmendable) {
    decided_ = true;
  }
}

Router::Scope Router::Narrowed(Scope outer, const config::RetryPolicy& retry) const {
  if (retry.deadline && (!outer.deadline || env_.arrival + *retry.deadline < *outer.deadline)) {
    return Scope{env_.arrival + *retry.deadline, *retry.deadline};
  }
  return outer;
}

std::optional<std::chrono::milliseconds> Router::TimeLeft(const Scope& scope) const {
  if (!scope.deadline) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*scope.deadline -
                                                               env_.clock->Now());
}

// The order the plan's strategy picks for this call (routing/strategy.h).
std::vector<std::size_t> Router::StepOrder(const Plan& plan) {
  RoutingContext context;
  context.rng = env_.rng;
  context.health = env_.feedback.health;
  context.latency = env_.feedback.latency;
  context.catalog = env_.catalog;
  context.now = env_.clock->Now();
  context.request_time = env_.request_time;
  return OrderSteps(plan, env_.features, context);
}

// After a context-length error (fatal otherwise), the plan may move on, but only to targets whose
// catalog window is larger than this one's (FitsWindow); not when this one's window is unknown.
bool Router::MovesOnToLargerWindow(const PlannedTarget& target, const AttemptReport& report) {
  if (!report.context_length) return false;
  const std::optional<std::int64_t> window = ContextWindowOf(env_.catalog, target);
  if (!window) return false;
  window_floor_ = std::max(window_floor_.value_or(0), *window);
  return true;
}

// Whether a target may still be tried: after a context-length error, only with a known window
// larger than every window that was too small.
bool Router::FitsWindow(const PlannedTarget& target) const {
  if (!window_floor_) return true;
  const std::optional<std::int64_t> window = ContextWindowOf(env_.catalog, target);
  return window && *window > *window_floor_;
}

}  // namespace switchyard::routing

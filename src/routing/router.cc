#include "routing/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "routing/backoff.h"
#include "routing/retry_policy.h"
#include "routing/strategy.h"
#include "routing/strategy_support.h"

namespace switchyard::routing {

Error DeadlineError(config::Millis deadline) {
  return Error::UpstreamTimeout(fmt::format(
      "the route's deadline_ms ({} ms) passed before the provider answered", deadline.count()));
}

namespace {

// Keeps `item` in `list` while in scope: what the router rings when the call is claimed.
template <class T>
class Listed {
 public:
  Listed(std::vector<T*>& list, T* item) : list_(list), item_(item) { list_.push_back(item); }
  ~Listed() { std::erase(list_, item_); }
  Listed(const Listed&) = delete;
  Listed& operator=(const Listed&) = delete;

 private:
  std::vector<T*>& list_;
  T* item_;
};

}  // namespace

Router::Router(RouterEnvironment environment) : env_(std::move(environment)) {
  commit_.OnClaim([this] { RingWaiters(); });
}

Task<RouterVerdict> Router::Run(const Plan& plan) {
  co_await RunPlan(plan, Scope{}, std::nullopt);
  co_return verdict_;
}

// Runs a plan's steps in its strategy's order, each when the launch policy allows it (in turn,
// together, or after a hedge's delay), until the call is decided or every step has failed. A
// nested route runs as one step.
Task<> Router::RunPlan(const Plan& plan, Scope outer, std::optional<AttemptKind> launched_as) {
  Scope scope = Narrowed(outer, plan.retry);
  if (plan.launch.mode != LaunchMode::kSequential) scope.race = &plan;
  const std::vector<std::size_t> order = StepOrder(plan);
  Lanes lanes(co_await net::this_coro::executor, LaneLimit(plan), *env_.clock);
  const Listed<Lanes> listed(waiting_lanes_, &lanes);
  CostCap cost_cap(plan.launch.max_cost_nanos);
  Launches launches;
  for (std::size_t index : order) {
    co_await WaitToLaunch(plan, lanes, launches);
    if (decided()) break;
    const PlanStep& step = plan.steps[index];
    // After a context-length error only a larger window is worth trying (MovesOnToLargerWindow).
    if (!step.route && !FitsWindow(step.target)) continue;
    if (!WithinCostCap(plan, step, cost_cap)) continue;
    const std::optional<AttemptKind> kind = LaunchKind(plan, lanes, launches, launched_as);
    launches = {env_.clock->Now(), &step, launches.started + 1};
    co_await lanes.Launch(RunStep(step, plan.retry, scope, kind));
  }
  co_await lanes.WaitForAll();
}

// Returns when the next step may start: at once with nothing in flight; else when there is room
// and — for a hedge — its delay since the latest start has passed. Also when the call is decided.
Task<> Router::WaitToLaunch(const Plan& plan, Lanes& lanes, const Launches& launches) {
  for (;;) {
    if (decided() || lanes.in_flight() == 0) co_return;
    const std::optional<SteadyTime> at = NextLaunchAt(plan, lanes, launches);
    if (at && *at <= env_.clock->Now()) co_return;
    co_await lanes.WaitForChange(at.value_or(SteadyTime::max()));
  }
}

// When the next step may start while others are in flight; nullopt: only once one has ended.
std::optional<SteadyTime> Router::NextLaunchAt(const Plan& plan, const Lanes& lanes,
                                               const Launches& launches) const {
  if (!lanes.has_room()) return std::nullopt;
  if (plan.launch.mode != LaunchMode::kHedge) return env_.clock->Now();
  return launches.last + HedgeDelay(plan, launches);
}

// A hedge's delay: fixed, or the latest target's live latency quantile (time to first token for
// streams) once the tracker has enough of its samples.
std::chrono::milliseconds Router::HedgeDelay(const Plan& plan, const Launches& launches) const {
  const HedgeDelayPolicy& hedge = plan.launch.hedge;
  if (!hedge.quantile || env_.feedback.latency == nullptr || launches.last_step == nullptr ||
      launches.last_step->route) {
    return hedge.fixed;
  }
  std::string scratch;
  const std::string_view key = internal::KeyOf(launches.last_step->target, &scratch);
  const std::optional<double> ms = env_.feedback.latency->Quantile(
      key, env_.stream ? LatencyMetric::kTtft : LatencyMetric::kTotal, *hedge.quantile,
      env_.clock->Now(), kMinHedgeSamples);
  if (!ms) return hedge.fixed;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*ms)));
}

// The kind a step's first attempt is recorded as. A nested plan's first step keeps the kind the
// outer plan started it as; nullopt leaves it to RunTarget (primary, or fallback after others).
std::optional<AttemptKind> Router::LaunchKind(const Plan& plan, const Lanes& lanes,
                                              const Launches& launches,
                                              std::optional<AttemptKind> launched_as) const {
  if (launches.started == 0 && launched_as) return launched_as;
  switch (plan.launch.mode) {
    case LaunchMode::kRace: return AttemptKind::kRace;
    case LaunchMode::kHedge:
      if (lanes.in_flight() > 0) return AttemptKind::kHedge;
      return std::nullopt;
    case LaunchMode::kSequential: return std::nullopt;
  }
  return std::nullopt;
}

// The steps a plan may have in flight: its policy's, within the gateway's cap.
int Router::LaneLimit(const Plan& plan) const {
  return std::max(1, std::min(plan.launch.max_in_flight, env_.max_parallel_attempts));
}

bool Router::WithinCostCap(const Plan& plan, const PlanStep& step, CostCap& cap) {
  if (!cap.capped()) return true;
  const std::optional<std::int64_t> worst =
      WorstCaseCost(step, plan.retry, env_.features, env_.catalog, env_.request_time);
  if (cap.Admit(worst)) return true;
  for (const PlannedTarget* target : internal::StepLeaves(step)) {
    verdict_.over_cost_cap.push_back(TargetKey(*target));
  }
  return false;
}

Task<> Router::RunStep(const PlanStep& step, const config::RetryPolicy& retry, Scope scope,
                       std::optional<AttemptKind> kind) {
  if (step.route) {
    co_await RunPlan(*step.route, scope, kind);
  } else {
    co_await RunTarget(step.target, retry, scope, kind);
  }
}

// Tries one target, retrying as the policy allows while the deadline leaves time for it.
Task<> Router::RunTarget(const PlannedTarget& target, const config::RetryPolicy& retry,
                         Scope scope, std::optional<AttemptKind> first_kind) {
  std::optional<AttemptReport> previous;
  for (int try_index = 0; try_index < retry.attempts && !decided(); ++try_index) {
    if (previous) {
      const std::chrono::milliseconds wait =
          RetryBackoff(try_index - 1, previous->provider_wait.wait, *env_.rng);
      if (scope.deadline && env_.clock->Now() + wait >= *scope.deadline) break;  // too late
      co_await Sleep(wait);
      if (decided()) break;  // another lane answered meanwhile
    }
    const std::optional<std::chrono::milliseconds> time_left = TimeLeft(scope);
    if (time_left && time_left->count() <= 0) {
      verdict_.deadline_stopped = true;
      verdict_.deadline = scope.deadline_ms;
      break;
    }
    const AttemptKind kind = previous               ? AttemptKind::kRetry
                             : first_kind            ? *first_kind
                             : verdict_.attempts > 0 ? AttemptKind::kFallback
                                                     : AttemptKind::kPrimary;
    AttemptReport report = co_await RunAttempt(target, kind, scope);
    Settle(target, report);
    if (decided() || !ShouldRetry(report, retry)) break;
    previous = std::move(report);
  }
}

Task<> Router::Sleep(std::chrono::milliseconds wait) {
  const std::unique_ptr<Alarm> alarm = env_.clock->NewAlarm(co_await net::this_coro::executor);
  const Listed<Alarm> listed(sleeping_, alarm.get());
  co_await alarm->WaitUntil(env_.clock->Now() + wait);
}

void Router::RingWaiters() {
  for (Lanes* lanes : waiting_lanes_) lanes->Ring();
  for (Alarm* alarm : sleeping_) alarm->Ring();
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
  order.race = scope.race;
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
    return Scope{env_.arrival + *retry.deadline, *retry.deadline, outer.race};
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

// Router: runs a call's plan. It owns which target is tried and when — the strategy's order, a
// nested route as one step, retries with backoff, the call's deadline, the fall-through to a larger
// context window, the breaker and latency feedback, and the commit point after which no other
// attempt may answer — and leaves each attempt itself to the AttemptRunner (routing/
// attempt_runner.h), which the gateway implements. It knows neither HTTP nor wire formats.
//
//   Router router(environment);           // runner, clock, rng, health, latency, catalog, features
//   RouterVerdict verdict = co_await router.Run(plan);
//
// Steps start as the plan's launch policy allows (routing/launch_policy.h): one after another, all
// together (race), or the next when those in flight are slow (hedge) — the same loop for all, and
// the first attempt to claim the commit point answers the call and cancels the rest. One Router
// per call, on the call's strand; not thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/asio.h"
#include "pricing/price_catalog.h"
#include "routing/attempt_feedback.h"
#include "routing/attempt_runner.h"
#include "routing/commit_point.h"
#include "routing/cost_cap.h"
#include "routing/lanes.h"
#include "routing/model_resolver.h"
#include "routing/request_features.h"
#include "routing/router_clock.h"

namespace switchyard::routing {

// What the router works with; pointers are borrowed for the call.
struct RouterEnvironment {
  AttemptRunner* runner = nullptr;
  RouterClock* clock = nullptr;
  std::mt19937_64* rng = nullptr;  // the worker's generator: strategies' draws and backoff jitter
  FeedbackSinks feedback;          // health null when disabled: then neither fed nor consulted
  const pricing::PriceCatalog* catalog = nullptr;  // prices and context windows; null: unknown
  RequestFeatures features;        // what strategies read of the request
  std::chrono::system_clock::time_point request_time{};  // picks the prices in force
  bool stream = false;             // the call streams (latency feedback: ttft, not total)
  SteadyTime arrival{};            // when the call arrived, on `clock`: deadlines count from it
  int max_parallel_attempts = 8;   // `routing.max_parallel_attempts`: steps of a plan in flight
};

// A hedge that takes its delay from a latency quantile uses `delay_ms` until the target has at
// least this many samples in the tracker's window.
inline constexpr std::int64_t kMinHedgeSamples = 20;

// How the plan ended, beyond what the attempts reported.
struct RouterVerdict {
  int attempts = 0;  // attempts run
  // The call's deadline kept an attempt from starting (with no attempt run: the call's answer is
  // DeadlineError(deadline)).
  bool deadline_stopped = false;
  config::Millis deadline{0};
  // Targets of a race or hedge not started because their worst-case cost would pass the route's
  // max_cost_usd ("provider/model"), for the reasons a failed race gives.
  std::vector<std::string> over_cost_cap;
};

class Router {
 public:
  explicit Router(RouterEnvironment environment);
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  Task<RouterVerdict> Run(const Plan& plan);

  const CommitPoint& commit_point() const { return commit_; }

 private:
  // The deadline a step runs under: the innermost plan's `retry.deadline_ms`, unless an outer one
  // is sooner.
  struct Scope {
    std::optional<SteadyTime> deadline;
    config::Millis deadline_ms{0};
    const Plan* race = nullptr;  // the innermost race or hedge plan (AttemptOrder::race)
  };

  // How a plan's launches stand: when the latest step started and which it was (a hedge's delay
  // counts from it, on its target's latency), and how many have started.
  struct Launches {
    SteadyTime last{};
    const PlanStep* last_step = nullptr;
    int started = 0;
  };

  // `launched_as`: the kind the outer plan started this step as (its first attempt's kind).
  Task<> RunPlan(const Plan& plan, Scope outer, std::optional<AttemptKind> launched_as);
  Task<> WaitToLaunch(const Plan& plan, Lanes& lanes, const Launches& launches);
  std::optional<SteadyTime> NextLaunchAt(const Plan& plan, const Lanes& lanes,
                                         const Launches& launches) const;
  std::chrono::milliseconds HedgeDelay(const Plan& plan, const Launches& launches) const;
  std::optional<AttemptKind> LaunchKind(const Plan& plan, const Lanes& lanes,
                                        const Launches& launches,
                                        std::optional<AttemptKind> launched_as) const;
  int LaneLimit(const Plan& plan) const;
  bool WithinCostCap(const Plan& plan, const PlanStep& step, CostCap& cap);
  Task<> RunStep(const PlanStep& step, const config::RetryPolicy& retry, Scope scope,
                 std::optional<AttemptKind> kind);
  Task<> RunTarget(const PlannedTarget& target, const config::RetryPolicy& retry, Scope scope,
                   std::optional<AttemptKind> first_kind);
  Task<AttemptReport> RunAttempt(const PlannedTarget& target, AttemptKind kind, Scope scope);
  // Waits `wait`, unless an attempt claims the call meanwhile.
  Task<> Sleep(std::chrono::milliseconds wait);
  void Settle(const PlannedTarget& target, const AttemptReport& report);
  // Wakes every wait of the router's own: the call has been claimed.
  void RingWaiters();

  Scope Narrowed(Scope outer, const config::RetryPolicy& retry) const;
  std::optional<std::chrono::milliseconds> TimeLeft(const Scope& scope) const;
  std::vector<std::size_t> StepOrder(const Plan& plan);
  bool MovesOnToLargerWindow(const PlannedTarget& target, const AttemptReport& report);
  bool FitsWindow(const PlannedTarget& target) const;
  // The call's outcome is settled: an answer, a commit, a departed client, or a failure no target
  // can mend. No further attempt starts.
  bool decided() const {
    return decided_ || commit_.holder().has_value() || env_.runner->client_gone();
  }

  RouterEnvironment env_;
  CommitPoint commit_;
  RouterVerdict verdict_;
  bool decided_ = false;
  std::optional<std::int64_t> window_floor_;  // context windows this far proved too small
  // What waits, to be rung when the call is claimed: plans' lanes and retries' backoffs.
  std::vector<Lanes*> waiting_lanes_;
  std::vector<Alarm*> sleeping_;
};

}  // namespace switchyard::routing

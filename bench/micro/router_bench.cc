// What the router itself costs a call (issue 12), without sockets: a one-target plan whose attempt
// answers at once, run through routing::Router — the order, the lane the step runs in (a spawned
// coroutine), the breaker's BeginAttempt and the feedback — against the same steps done inline, as
// the gateway's loop did before the router owned it. Figures, never a CI gate. On the 2-core
// machine of issue 12 (RelWithDebInfo, means of 3): 4.0 us through the router, 3.4 us inline, 7.7 us
// when the plan's one step is spawned as a lane of a two-lane policy.
//
//   BUILD_DIR=build-bench BUILD_TYPE=Release bash scripts/build.sh -DSWITCHYARD_BENCH=ON
//   build-bench/micro_bench --benchmark_filter='Router|InlineAttempt'
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "routing/attempt_feedback.h"
#include "routing/router.h"
#include "routing/strategy.h"

namespace switchyard::routing {
namespace {

class AnsweringRunner final : public AttemptRunner {
 public:
  Task<AttemptReport> Run(const AttemptOrder& order) override {
    AttemptReport report;
    report.answered = report.committed = order.commit == nullptr || order.commit->Claim(order.n);
    report.latency = std::chrono::milliseconds(120);
    co_return report;
  }
  bool ReachesProvider(const PlannedTarget&) const override { return true; }
  bool client_gone() const override { return false; }
};

struct Fixture {
  Fixture() {
    provider_config.name = "openai";
    provider = ProviderRuntime{&provider_config, {}, nullptr};
    plan.strategy = "single";
    PlanStep step;
    step.target.provider = &provider;
    step.target.model = "gpt-4o-mini";
    plan.steps.push_back(step);
  }
  config::ProviderConfig provider_config;
  ProviderRuntime provider;
  Plan plan;
  HealthRegistry health;
  LatencyTracker latency;
  AnsweringRunner runner;
  SteadyRouterClock clock;
  std::mt19937_64 rng{1};
  net::io_context io;
  // The gateway's io_context always has its reactor (sockets, timers): so has this one, or the
  // first timer made by either side would bring it in and count its epoll_wait against that side.
  net::steady_timer reactor{io};
};

Task<> RouteOnce(Fixture& fixture) {
  RouterEnvironment environment;
  environment.runner = &fixture.runner;
  environment.clock = &fixture.clock;
  environment.rng = &fixture.rng;
  environment.feedback = {&fixture.health, &fixture.latency};
  environment.arrival = fixture.clock.Now();
  Router router(std::move(environment));
  const RouterVerdict verdict = co_await router.Run(fixture.plan);
  benchmark::DoNotOptimize(verdict.attempts);
}

// The same steps inline: order, breaker, attempt, feedback.
Task<> InlineOnce(Fixture& fixture) {
  RoutingContext context;
  context.rng = &fixture.rng;
  context.health = &fixture.health;
  context.latency = &fixture.latency;
  context.now = fixture.clock.Now();
  for (std::size_t index : OrderSteps(fixture.plan, RequestFeatures{}, context)) {
    const PlannedTarget& target = fixture.plan.steps[index].target;
    const std::string key = TargetKey(target);
    fixture.health.BeginAttempt(key, fixture.clock.Now());
    AttemptOrder order;
    order.target = &target;
    const AttemptReport report = co_await fixture.runner.Run(order);
    ReportOutcome({&fixture.health, &fixture.latency}, key, report, false, fixture.clock.Now());
    if (report.answered) break;
  }
}

template <Task<> (*kOnce)(Fixture&)>
void RunCalls(benchmark::State& state, int max_in_flight = 1) {
  Fixture fixture;
  fixture.plan.launch.max_in_flight = max_in_flight;
  for (auto _ : state) {
    net::co_spawn(fixture.io, kOnce(fixture), net::detached);
    fixture.io.run();
    fixture.io.restart();
  }
}

void BM_RouterOneTarget(benchmark::State& state) { RunCalls<RouteOnce>(state); }
void BM_InlineAttemptOneTarget(benchmark::State& state) { RunCalls<InlineOnce>(state); }
// The same plan allowed two lanes (a race's policy): its one step is spawned and waited for.
void BM_RouterOneTargetSpawned(benchmark::State& state) { RunCalls<RouteOnce>(state, 2); }
BENCHMARK(BM_RouterOneTarget);
BENCHMARK(BM_RouterOneTargetSpawned);
BENCHMARK(BM_InlineAttemptOneTarget);

}  // namespace
}  // namespace switchyard::routing

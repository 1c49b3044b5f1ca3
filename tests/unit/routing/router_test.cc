// The router, hermetically: a fake attempt runner plays scripted attempts, a fake clock stands in
// for time, the generator is seeded. Each test asserts on the order of events — which attempt
// started, of what kind, with how much time left, how it ended — and on what routing learned.
#include "routing/router.h"

#include <gtest/gtest.h>

#include <cmath>

#include "routing/backoff.h"
#include "unit/routing/plan_builder.h"
#include "unit/routing/router_fakes.h"

namespace switchyard::routing {
namespace {

using testing_util::FakeAttemptRunner;
using testing_util::FakeClock;
using testing_util::PlanBuilder;
using testing_util::Play;
using testing_util::RunToEnd;
using Events = std::vector<std::string>;
using std::chrono::milliseconds;

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : runner_(clock_) {}

  RouterVerdict Run(const Plan& plan, bool stream = false) {
    RouterEnvironment environment;
    environment.runner = &runner_;
    environment.clock = &clock_;
    environment.rng = &rng_;
    environment.feedback = {&health_, &latency_};
    environment.catalog = &catalog_;
    environment.stream = stream;
    environment.arrival = FakeClock::kStart;
    environment.features = features_;
    environment.max_parallel_attempts = max_parallel_attempts_;
    router_.emplace(environment);
    return RunToEnd(router_->Run(plan), clock_);
  }

  static Plan WithRetry(Plan plan, int attempts, std::optional<int> deadline_ms = std::nullopt) {
    plan.retry.attempts = attempts;
    if (deadline_ms) plan.retry.deadline = config::Millis(*deadline_ms);
    return plan;
  }

  void Window(const std::string& provider, const std::string& model, std::int64_t tokens) {
    pricing::CatalogModel entry;
    entry.capabilities.context_window = tokens;
    catalog_.Put(provider, model, entry);
  }

  // A price of `input` and `output` USD per million tokens.
  void Price(const std::string& provider, const std::string& model, double input, double output) {
    pricing::CatalogModel entry;
    pricing::ModelPrice price;
    price.base.input = static_cast<pricing::Nanos>(input * 1e9);
    price.base.output = static_cast<pricing::Nanos>(output * 1e9);
    entry.periods.push_back(price);
    catalog_.Put(provider, model, entry);
  }

  FakeClock clock_;
  FakeAttemptRunner runner_;
  RequestFeatures features_;
  int max_parallel_attempts_ = 8;
  PlanBuilder builder_;
  std::mt19937_64 rng_{7};
  HealthRegistry health_;
  LatencyTracker latency_;
  pricing::PriceCatalog catalog_;
  std::optional<Router> router_;
};

TEST_F(RouterTest, FallbackMovesOnInWrittenOrderUntilOneAnswers) {
  runner_.Script("a/m", {Play::Fail(500)});
  runner_.Script("b/m", {Play::Fail(0, FailureClass::kRetryable, ErrorKind::kUpstreamConnect)});
  const RouterVerdict verdict = Run(builder_.Make("fallback", {"a/m", "b/m", "c/m", "d/m"}));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 500",
                                    "start #2 fallback b/m", "end #2 failed",
                                    "start #3 fallback c/m", "end #3 answered"}));
  EXPECT_EQ(verdict.attempts, 3);
  EXPECT_EQ(router_->commit_point().holder(), 3);
}

TEST_F(RouterTest, RetriesWaitTheSeededBackoffThenMoveOn) {
  runner_.Script("a/m", {Play::Fail(503), Play::Fail(503), Play::Fail(503)});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 503",
                                    "start #2 retry a/m", "end #2 failed 503",
                                    "start #3 retry a/m", "end #3 failed 503",
                                    "start #4 fallback b/m", "end #4 answered"}));
  std::mt19937_64 same_seed(7);  // fallback draws nothing: every draw is backoff's
  const milliseconds first = RetryBackoff(0, std::nullopt, same_seed);
  const milliseconds second = RetryBackoff(1, std::nullopt, same_seed);
  EXPECT_EQ(clock_.sleeps, (std::vector<milliseconds>{first, second}));
  EXPECT_GE(first.count(), 50);
  EXPECT_LE(first.count(), 100);
  EXPECT_GE(second.count(), 100);
  EXPECT_LE(second.count(), 200);
}

TEST_F(RouterTest, AStatusTheRouteDoesNotRetryOnMovesOnAtOnce) {
  runner_.Script("a/m", {Play::Fail(501)});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 501",
                                    "start #2 fallback b/m", "end #2 answered"}));
  EXPECT_TRUE(clock_.sleeps.empty());
}

TEST_F(RouterTest, TheProviderAskedWaitIsHonouredOrMakesTheRouteMoveOn) {
  runner_.Script("a/m", {Play::Fail(429).Wait(milliseconds(1500)),   // honoured as given
                         Play::Fail(429).Wait(milliseconds(30'000)),  // longer than we'd wait
                         Play::Fail(429).Wait(std::nullopt)});        // unreadable: as longer
  runner_.Script("b/m", {Play::Fail(429).Wait(std::nullopt)});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m", "c/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 429",
                                    "start #2 retry a/m", "end #2 failed 429",
                                    "start #3 fallback b/m", "end #3 failed 429",
                                    "start #4 fallback c/m", "end #4 answered"}));
  EXPECT_EQ(clock_.sleeps, (std::vector<milliseconds>{milliseconds(1500)}));
  // The 429 with a readable wait cools its target down for that long.
  const TargetHealth a = health_.Inspect("a/m", clock_.Now());
  EXPECT_GT(a.cool_until, clock_.Now() + milliseconds(25'000));
}

TEST_F(RouterTest, AFailureNoTargetCanMendEndsTheCall) {
  runner_.Script("a/m", {Play::Fail(400, FailureClass::kFatal)});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 400"}));
}

TEST_F(RouterTest, ATargetThatWillNotSucceedIsNotRetriedButTheNextIsTried) {
  runner_.Script("a/m", {Play::Fail(401, FailureClass::kFallBack)});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 401",
                                    "start #2 fallback b/m", "end #2 answered"}));
}

TEST_F(RouterTest, NoSecondAttemptAfterTheFirstByte) {
  Play broken = Play::Fail(0);  // retryable, but its stream had begun: the call is the client's
  broken.report.committed = true;
  runner_.Script("a/m", {broken});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed"}));
  EXPECT_EQ(router_->commit_point().holder(), 1);
}

TEST_F(RouterTest, ADepartedClientStopsTheRoute) {
  Play fail = Play::Fail(503);
  fail.client_leaves = true;
  runner_.Script("a/m", {fail});
  Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 503"}));
}

TEST_F(RouterTest, TheDeadlineCapsEachAttemptAndStopsTheNext) {
  runner_.Script("a/m", {Play::Fail(503).Takes(milliseconds(600)),
                         Play::Fail(503).Takes(milliseconds(400))});
  const RouterVerdict verdict =
      Run(WithRetry(builder_.Make("fallback", {"a/m", "b/m"}), 3, 1000));
  // The retry's backoff (50-100 ms) fits; the third try would start past the deadline, and when
  // the fallback step's turn comes no time is left.
  ASSERT_EQ(runner_.events.size(), 4u);
  EXPECT_EQ(runner_.events[0], "start #1 primary a/m left=1000ms");
  const milliseconds wait = clock_.sleeps.at(0);
  EXPECT_EQ(runner_.events[2], fmt::format("start #2 retry a/m left={}ms", 400 - wait.count()));
  EXPECT_TRUE(verdict.deadline_stopped);
  EXPECT_EQ(verdict.deadline, config::Millis(1000));
  EXPECT_EQ(verdict.attempts, 2);
}

TEST_F(RouterTest, ADeadlinePassedBeforeTheFirstAttemptStartsNone) {
  clock_.Advance(milliseconds(50));  // the call's preparation took longer than its deadline
  const RouterVerdict verdict = Run(WithRetry(builder_.Make("fallback", {"a/m"}), 1, 20));
  EXPECT_TRUE(runner_.events.empty());
  EXPECT_TRUE(verdict.deadline_stopped);
  EXPECT_EQ(verdict.attempts, 0);
}

TEST_F(RouterTest, ANestedRouteRunsAsOneStepUnderTheSoonerDeadline) {
  Plan inner = WithRetry(builder_.Make("fallback", {"x/m", "y/m"}), 1, 200);
  inner.route = "inner";
  Plan outer = WithRetry(builder_.Make("fallback", {}), 1, 5000);
  outer.steps.push_back(PlanBuilder::Nested(inner));
  outer.steps.push_back({builder_.Target("z/m"), nullptr, 1});
  runner_.Script("x/m", {Play::Fail(500).Takes(milliseconds(150))});
  runner_.Script("y/m", {Play::Fail(500)});
  Run(outer);
  EXPECT_EQ(runner_.events, (Events{"start #1 primary x/m left=200ms", "end #1 failed 500",
                                    "start #2 fallback y/m left=50ms", "end #2 failed 500",
                                    "start #3 fallback z/m left=4840ms", "end #3 answered"}));
}

TEST_F(RouterTest, AContextLengthErrorMovesOnlyToALargerWindow) {
  Window("a", "m", 8'000);
  Window("b", "m", 4'000);
  Window("c", "m", 128'000);
  Play too_long = Play::Fail(400, FailureClass::kFatal);
  too_long.report.context_length = true;
  runner_.Script("a/m", {too_long});
  Run(builder_.Make("fallback", {"a/m", "b/m", "d/m", "c/m"}));
  // b's window is smaller and d's is unknown: neither is tried.
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 400",
                                    "start #2 fallback c/m", "end #2 answered"}));
}

TEST_F(RouterTest, AContextLengthErrorAtAnUnknownWindowEndsTheCall) {
  Play too_long = Play::Fail(400, FailureClass::kFatal);
  too_long.report.context_length = true;
  runner_.Script("a/m", {too_long});
  Run(builder_.Make("fallback", {"a/m", "b/m"}));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 failed 400"}));
}

TEST_F(RouterTest, TheOrderIsTheStrategysWithTheSameSeed) {
  const Plan plan = builder_.Make("loadbalance", {"a/m", "b/m", "c/m"});
  runner_.Script("a/m", {Play::Fail(500)});
  runner_.Script("b/m", {Play::Fail(500)});
  runner_.Script("c/m", {Play::Fail(500)});
  Run(plan);
  std::mt19937_64 same_seed(7);
  RoutingContext context;
  context.rng = &same_seed;
  const std::vector<std::string> expected =
      testing_util::Names(plan, OrderSteps(plan, RequestFeatures{}, context));
  std::vector<std::string> started;
  for (const std::string& event : runner_.events) {
    if (event.starts_with("start")) started.push_back(event.substr(event.rfind(' ') + 1));
  }
  EXPECT_EQ(started, expected);
}

TEST_F(RouterTest, AnOpenBreakerPutsItsTargetLast) {
  for (int i = 0; i < HealthOptions{}.consecutive_failures; ++i) {
    health_.RecordFailure("a/m", clock_.Now(), FailureKind::kFault);
  }
  Run(builder_.Make("fallback", {"a/m", "b/m"}));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary b/m", "end #1 answered"}));
}

TEST_F(RouterTest, FeedbackTeachesTheBreakerAndTheLatencyTracker) {
  runner_.Script("a/m", {Play::Fail(503)});
  runner_.Script("b/m", {Play::Answer(milliseconds(240))});
  Run(builder_.Make("fallback", {"a/m", "b/m"}));
  EXPECT_EQ(health_.Inspect("a/m", clock_.Now()).consecutive_failures, 1);
  const auto total = latency_.Estimate("b/m", LatencyMetric::kTotal);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->samples, 1);
  EXPECT_DOUBLE_EQ(total->average_ms, 240);
  EXPECT_FALSE(latency_.Estimate("a/m", LatencyMetric::kTotal));  // a fast error is no answer
}

TEST_F(RouterTest, AStreamFeedsTimeToFirstTokenOnly) {
  Play answer = Play::Answer(milliseconds(900));
  answer.report.ttft = milliseconds(80);
  runner_.Script("a/m", {answer});
  Run(builder_.Make("single", {"a/m"}), /*stream=*/true);
  EXPECT_FALSE(latency_.Estimate("a/m", LatencyMetric::kTotal));
  EXPECT_DOUBLE_EQ(latency_.Estimate("a/m", LatencyMetric::kTtft)->average_ms, 80);
}

// count_tokens on a plan of mixed formats: the Anthropic target forwards (and fails), the OpenAI
// one is answered by the gateway's estimate — an attempt that takes no breaker probe and teaches
// routing nothing about that target.
TEST_F(RouterTest, ALocallyAnsweredAttemptTeachesRoutingNothing) {
  runner_.Script("anthropic/claude", {Play::Fail(500)});
  runner_.AnswersLocally("openai/gpt");
  Run(builder_.Make("fallback", {"anthropic/claude", "openai/gpt"}));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary anthropic/claude", "end #1 failed 500",
                                    "start #2 fallback openai/gpt", "end #2 answered"}));
  EXPECT_EQ(health_.Inspect("anthropic/claude", clock_.Now()).consecutive_failures, 1);
  EXPECT_FALSE(latency_.Estimate("openai/gpt", LatencyMetric::kTotal));
}

TEST_F(RouterTest, ALocallyAnsweredAttemptLeavesAHalfOpenProbeFree) {
  for (int i = 0; i < HealthOptions{}.consecutive_failures; ++i) {
    health_.RecordFailure("openai/gpt", clock_.Now(), FailureKind::kFault);
  }
  clock_.Advance(HealthOptions{}.cool_off);  // half-open: one probe may go
  runner_.AnswersLocally("openai/gpt");
  Run(builder_.Make("single", {"openai/gpt"}));
  EXPECT_TRUE(health_.Available("openai/gpt", clock_.Now()));
}

// The launch policy is data: with two steps in flight the same loop races them. The first to
// claim the commit point answers; the other is cancelled, and nothing starts after.
TEST_F(RouterTest, TwoStepsInFlightRaceAndTheLoserIsCancelled) {
  Plan plan = builder_.Make("fallback", {"a/m", "b/m", "c/m"});
  plan.launch.max_in_flight = 2;
  Play slow;
  slow.waits_to_be_cancelled = true;
  runner_.Script("a/m", {slow});
  Run(plan);
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "start #2 fallback b/m",
                                    "end #2 answered", "cancelled #1"}));
  EXPECT_EQ(router_->commit_point().holder(), 2);
}

// --- Races and hedges: the launch policy as data on the same loop ---

Plan RacePlan(Plan plan, int max_in_flight) {
  plan.launch.mode = LaunchMode::kRace;
  plan.launch.max_in_flight = max_in_flight;
  return plan;
}

Plan HedgePlan(Plan plan, milliseconds delay, std::optional<double> quantile = std::nullopt) {
  plan.launch.mode = LaunchMode::kHedge;
  plan.launch.max_in_flight = static_cast<int>(plan.steps.size());
  plan.launch.hedge.fixed = delay;
  plan.launch.hedge.quantile = quantile;
  return plan;
}

Play Slow() {
  Play play;
  play.waits_to_be_cancelled = true;
  return play;
}

TEST_F(RouterTest, ARaceStartsEveryTargetAndTheFirstAnswerCancelsTheRest) {
  runner_.Script("a/m", {Play::Answer(milliseconds(50))});
  runner_.Script("b/m", {Play::Answer(milliseconds(20))});
  runner_.Script("c/m", {Slow()});
  const RouterVerdict verdict = Run(RacePlan(builder_.Make("race", {"a/m", "b/m", "c/m"}), 3));
  EXPECT_EQ(runner_.events,
            (Events{"start #1 race a/m", "start #2 race b/m", "start #3 race c/m",
                    "end #2 answered", "cancelled #1", "cancelled #3"}));
  EXPECT_EQ(verdict.attempts, 3);
  EXPECT_EQ(router_->commit_point().holder(), 2);
  EXPECT_EQ(clock_.Elapsed(), milliseconds(20));  // nobody waited for the losers' own ends
}

TEST_F(RouterTest, AFailedRacerLeavesTheOthersRacing) {
  runner_.Script("a/m", {Play::Fail(500).Takes(milliseconds(5))});
  runner_.Script("b/m", {Play::Answer(milliseconds(30))});
  Run(RacePlan(builder_.Make("race", {"a/m", "b/m"}), 2));
  EXPECT_EQ(runner_.events, (Events{"start #1 race a/m", "start #2 race b/m", "end #1 failed 500",
                                    "end #2 answered"}));
  EXPECT_EQ(router_->commit_point().holder(), 2);
}

TEST_F(RouterTest, MaxParallelStartsTheNextTargetOnlyWhenARacerFails) {
  runner_.Script("a/m", {Play::Fail(503).Takes(milliseconds(10))});
  runner_.Script("b/m", {Slow()});
  runner_.Script("c/m", {Play::Answer(milliseconds(5))});
  runner_.log_times = true;
  Run(RacePlan(builder_.Make("race", {"a/m", "b/m", "c/m"}), 2));
  EXPECT_EQ(runner_.events,
            (Events{"start #1 race a/m at=0ms", "start #2 race b/m at=0ms", "end #1 failed 503",
                    "start #3 race c/m at=10ms", "end #3 answered", "cancelled #2"}));
}

TEST_F(RouterTest, TheGatewaysCapHoldsARaceWithMoreTargets) {
  runner_.Script("a/m", {Slow()});
  runner_.Script("b/m", {Play::Answer(milliseconds(10))});
  max_parallel_attempts_ = 2;
  Run(RacePlan(builder_.Make("race", {"a/m", "b/m", "c/m"}), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 race a/m", "start #2 race b/m", "end #2 answered",
                                    "cancelled #1"}));
}

TEST_F(RouterTest, AHedgeStartsTheNextTargetOnlyAfterItsDelay) {
  runner_.Script("a/m", {Slow()});
  runner_.Script("b/m", {Play::Answer(milliseconds(10))});
  runner_.log_times = true;
  Run(HedgePlan(builder_.Make("hedge", {"a/m", "b/m"}), milliseconds(100)));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m at=0ms", "start #2 hedge b/m at=100ms",
                                    "end #2 answered", "cancelled #1"}));
  EXPECT_EQ(router_->commit_point().holder(), 2);
}

TEST_F(RouterTest, AHedgeWithAFastFirstTargetNeverStartsTheNext) {
  runner_.Script("a/m", {Play::Answer(milliseconds(99))});
  Run(HedgePlan(builder_.Make("hedge", {"a/m", "b/m"}), milliseconds(100)));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m", "end #1 answered"}));
}

TEST_F(RouterTest, AHedgeWhoseFirstTargetFailsFallsBackAtOnce) {
  runner_.Script("a/m", {Play::Fail(500).Takes(milliseconds(10))});
  runner_.log_times = true;
  Run(HedgePlan(builder_.Make("hedge", {"a/m", "b/m"}), milliseconds(100)));
  EXPECT_EQ(runner_.events, (Events{"start #1 primary a/m at=0ms", "end #1 failed 500",
                                    "start #2 fallback b/m at=10ms", "end #2 answered"}));
}

// The delay follows the target's live p90 once it has enough samples: here it moves from 100 ms
// answers to 400 ms ones, and the hedge moves with it.
TEST_F(RouterTest, AHedgeAtP90FollowsTheTargetsLiveLatency) {
  const Plan plan = HedgePlan(builder_.Make("hedge", {"a/m", "b/m"}), milliseconds(1000), 0.9);
  auto hedge_start = [&]() -> std::string {
    runner_.events.clear();
    runner_.Script("a/m", {Slow()});
    runner_.log_times = true;
    const milliseconds before = clock_.Elapsed();
    Run(plan);
    return fmt::format("{}", (clock_.Elapsed() - before).count());
  };
  auto record = [&](int samples, milliseconds latency) {
    for (int i = 0; i < samples; ++i) {
      latency_.Record("a/m", LatencyMetric::kTotal, latency, clock_.Now());
    }
  };
  auto p90 = [&] {
    const double ms = *latency_.Quantile("a/m", LatencyMetric::kTotal, 0.9, clock_.Now());
    return std::to_string(static_cast<std::int64_t>(std::ceil(ms)) + 10);  // b answers in 10 ms
  };
  record(static_cast<int>(kMinHedgeSamples) - 1, milliseconds(100));
  EXPECT_EQ(hedge_start(), "1010");  // too few samples: delay_ms
  record(1, milliseconds(100));
  EXPECT_EQ(hedge_start(), p90());
  EXPECT_LT(std::stoi(p90()), 120);
  record(4 * static_cast<int>(kMinHedgeSamples), milliseconds(400));
  EXPECT_EQ(hedge_start(), p90());
  EXPECT_GT(std::stoi(p90()), 380);
}

TEST_F(RouterTest, ARacersBackoffEndsWhenAnotherRacerAnswers) {
  runner_.Script("a/m", {Play::Fail(503).Takes(milliseconds(1)), Play::Answer()});
  runner_.Script("b/m", {Play::Answer(milliseconds(30))});
  Run(WithRetry(RacePlan(builder_.Make("race", {"a/m", "b/m"}), 2), 3));
  EXPECT_EQ(runner_.events, (Events{"start #1 race a/m", "start #2 race b/m", "end #1 failed 503",
                                    "end #2 answered"}));
  ASSERT_EQ(clock_.sleeps.size(), 1u);
  EXPECT_GT(clock_.sleeps[0], milliseconds(30));  // the backoff drawn, cut short by the answer
  EXPECT_EQ(clock_.Elapsed(), milliseconds(30));
}

TEST_F(RouterTest, ARaceTargetMayBeAFallbackRoute) {
  runner_.Script("x/m", {Play::Fail(500)});
  runner_.Script("z/m", {Slow()});
  Plan race = builder_.Make("race", {"z/m"});
  race.steps.insert(race.steps.begin(),
                    PlanBuilder::Nested(builder_.Make("fallback", {"x/m", "y/m"})));
  Run(RacePlan(std::move(race), 2));
  EXPECT_EQ(runner_.events, (Events{"start #1 race x/m", "start #2 race z/m", "end #1 failed 500",
                                    "start #3 fallback y/m", "end #3 answered", "cancelled #2"}));
}

TEST_F(RouterTest, MaxCostKeepsTargetsWhoseWorstCaseWouldPassItFromStarting) {
  for (const char* provider : {"a", "b", "c"}) Price(provider, "m", 1.0, 1.0);
  features_.input_tokens = 1000;
  features_.max_tokens = 1000;  // worst case of each: 2000 tokens at $1/M = $0.002
  runner_.Script("a/m", {Slow()});
  runner_.Script("b/m", {Play::Answer(milliseconds(10))});
  Plan plan = RacePlan(builder_.Make("race", {"a/m", "b/m", "c/m"}), 3);
  plan.launch.max_cost_nanos = 5'000'000;  // $0.005: two fit, not three
  const RouterVerdict verdict = Run(plan);
  EXPECT_EQ(runner_.events, (Events{"start #1 race a/m", "start #2 race b/m", "end #2 answered",
                                    "cancelled #1"}));
  EXPECT_EQ(verdict.over_cost_cap, (std::vector<std::string>{"c/m"}));
}

TEST_F(RouterTest, UnderACostCapATargetWithoutAPriceDoesNotStartButTheFirstAlwaysDoes) {
  runner_.Script("a/m", {Play::Fail(500)});
  Plan plan = RacePlan(builder_.Make("race", {"a/m", "b/m"}), 2);
  plan.launch.max_cost_nanos = 1'000'000'000;
  const RouterVerdict verdict = Run(plan);
  EXPECT_EQ(runner_.events, (Events{"start #1 race a/m", "end #1 failed 500"}));
  EXPECT_EQ(verdict.over_cost_cap, (std::vector<std::string>{"b/m"}));
}

TEST(CommitPointTest, GrantsOnceAndCancelsTheOthersInTheOrderTheyEntered) {
  CommitPoint commit;
  std::vector<int> cancelled;
  for (int n : {1, 2, 3, 4}) commit.Enter(n, [n, &cancelled] { cancelled.push_back(n); });
  commit.Leave(2);  // ended before the claim: not cancelled
  EXPECT_TRUE(commit.Claim(3));
  EXPECT_EQ(cancelled, (std::vector<int>{1, 4}));
  EXPECT_TRUE(commit.Claim(3));   // the holder may ask again
  EXPECT_FALSE(commit.Claim(1));  // any other is refused
  EXPECT_EQ(commit.holder(), 3);
  EXPECT_EQ(commit.in_flight(), 1u);
}

TEST(CommitPointTest, ASequentialAttemptIsAlwaysGranted) {
  CommitPoint commit;
  EXPECT_FALSE(commit.holder());
  commit.Enter(1, nullptr);
  commit.Leave(1);
  commit.Enter(2, nullptr);
  EXPECT_TRUE(commit.Claim(2));
  EXPECT_EQ(commit.holder(), 2);
}

}  // namespace
}  // namespace switchyard::routing

#include <gtest/gtest.h>

#include <map>

#include "routing/strategy.h"
#include "unit/routing/plan_builder.h"

namespace switchyard::routing {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing_util::Names;
using testing_util::PlanBuilder;
using Strings = std::vector<std::string>;

class FastestTest : public ::testing::Test {
 protected:
  FastestTest() {
    context_.rng = &rng_;
    context_.latency = &latency_;
    context_.now = SteadyTime{} + std::chrono::hours(1000);
    context_.options.explore_probability = 0;  // tests of exploration set it
  }

  void Sample(std::string_view key, LatencyMetric metric, int ms) {
    latency_.Record(key, metric, milliseconds(ms), context_.now);
  }

  Strings Order(const Plan& plan, bool stream = false) {
    RequestFeatures features;
    features.stream = stream;
    return Names(plan, OrderSteps(plan, features, context_));
  }

  PlanBuilder builder_;
  LatencyTracker latency_;
  std::mt19937_64 rng_{99};
  RoutingContext context_;
};

TEST_F(FastestTest, LowestTotalLatencyFirstForPlainCalls) {
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2", "c/3"});
  Sample("a/1", LatencyMetric::kTotal, 900);
  Sample("b/2", LatencyMetric::kTotal, 300);
  Sample("c/3", LatencyMetric::kTotal, 600);
  EXPECT_EQ(Order(plan), (Strings{"b/2", "c/3", "a/1"}));
}

TEST_F(FastestTest, StreamsGoByTimeToFirstToken) {
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2"});
  Sample("a/1", LatencyMetric::kTotal, 2000);
  Sample("a/1", LatencyMetric::kTtft, 100);
  Sample("b/2", LatencyMetric::kTotal, 800);
  Sample("b/2", LatencyMetric::kTtft, 400);
  EXPECT_EQ(Order(plan, /*stream=*/false), (Strings{"b/2", "a/1"}));
  EXPECT_EQ(Order(plan, /*stream=*/true), (Strings{"a/1", "b/2"}));
}

TEST_F(FastestTest, TheOrderMovesWhenLatenciesChange) {
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2"});
  Sample("a/1", LatencyMetric::kTotal, 100);
  Sample("b/2", LatencyMetric::kTotal, 300);
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));
  // a slows down: a few slow samples carry its average past b's.
  int calls = 0;
  while (Order(plan)[0] == "a/1" && calls < 20) {
    context_.now += seconds(1);
    Sample("a/1", LatencyMetric::kTotal, 1000);
    ++calls;
  }
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));
  EXPECT_LE(calls, 3);
}

TEST_F(FastestTest, ATargetWithoutSamplesIsTriedFirst) {
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2", "c/3", "d/4"});
  Sample("a/1", LatencyMetric::kTotal, 500);
  Sample("c/3", LatencyMetric::kTotal, 100);
  // b and d are unmeasured: b (first in written order) goes first, d after the measured ones.
  EXPECT_EQ(Order(plan), (Strings{"b/2", "c/3", "a/1", "d/4"}));
  Sample("b/2", LatencyMetric::kTotal, 300);
  EXPECT_EQ(Order(plan), (Strings{"d/4", "c/3", "b/2", "a/1"}));
  Sample("d/4", LatencyMetric::kTotal, 1000);
  EXPECT_EQ(Order(plan), (Strings{"c/3", "b/2", "a/1", "d/4"}));
}

TEST_F(FastestTest, AStaleEstimateIsRefreshedFirst) {
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2"});
  Sample("a/1", LatencyMetric::kTotal, 100);
  Sample("b/2", LatencyMetric::kTotal, 300);
  context_.now += minutes(4);
  Sample("a/1", LatencyMetric::kTotal, 100);  // a keeps being used; b's sample ages
  context_.now += minutes(1);
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));  // b's sample is exactly 5 minutes old
  context_.now += milliseconds(1);
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));  // now older than stale_after
}

TEST_F(FastestTest, ExploresWithTheConfiguredProbability) {
  context_.options.explore_probability = 0.05;
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2", "c/3"});
  Sample("a/1", LatencyMetric::kTotal, 100);
  Sample("b/2", LatencyMetric::kTotal, 200);
  Sample("c/3", LatencyMetric::kTotal, 300);
  std::map<std::string, int> first;
  for (int i = 0; i < 10'000; ++i) {
    const Strings order = Order(plan);
    ++first[order[0]];
    ASSERT_EQ(order.size(), 3u);
  }
  // 95% fastest (9500 ± 22), and the 5% spread evenly over the two slower ones (250 ± 16 each).
  EXPECT_GE(first["a/1"], 9400);
  EXPECT_LE(first["a/1"], 9600);
  EXPECT_GE(first["b/2"], 180);
  EXPECT_LE(first["b/2"], 320);
  EXPECT_GE(first["c/3"], 180);
  EXPECT_LE(first["c/3"], 320);
}

TEST_F(FastestTest, ExplorationKeepsTheRestInOrder) {
  context_.options.explore_probability = 1.0;  // always explore
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2", "c/3"});
  Sample("a/1", LatencyMetric::kTotal, 100);
  Sample("b/2", LatencyMetric::kTotal, 200);
  Sample("c/3", LatencyMetric::kTotal, 300);
  for (int i = 0; i < 100; ++i) {
    const Strings order = Order(plan);
    if (order[0] == "b/2") {
      EXPECT_EQ(order, (Strings{"b/2", "a/1", "c/3"}));
    } else {
      EXPECT_EQ(order, (Strings{"c/3", "a/1", "b/2"}));
    }
  }
}

TEST_F(FastestTest, WithoutATrackerTheWrittenOrderStands) {
  context_.latency = nullptr;
  const Plan plan = builder_.Make("fastest", {"b/2", "a/1"});
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));
}

TEST_F(FastestTest, ANestedRouteCountsAsItsFastestTarget) {
  Plan plan = builder_.Make("fastest", {"a/1"});
  Plan inner = builder_.Make("fallback", {"b/2", "c/3"});
  inner.route = "inner";
  plan.steps.push_back(PlanBuilder::Nested(inner));
  Sample("a/1", LatencyMetric::kTotal, 200);
  Sample("b/2", LatencyMetric::kTotal, 500);  // c has no sample: inner still counts as measured
  EXPECT_EQ(Order(plan), (Strings{"a/1", "[inner]"}));
  Sample("c/3", LatencyMetric::kTotal, 50);
  EXPECT_EQ(Order(plan), (Strings{"[inner]", "a/1"}));
}

TEST_F(FastestTest, AnOpenCircuitMovesTheFastestLast) {
  HealthRegistry health;
  context_.health = &health;
  const Plan plan = builder_.Make("fastest", {"a/1", "b/2"});
  Sample("a/1", LatencyMetric::kTotal, 100);
  Sample("b/2", LatencyMetric::kTotal, 300);
  for (int i = 0; i < 5; ++i) health.RecordFailure("a/1", context_.now, FailureKind::kFault);
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));
}

}  // namespace
}  // namespace switchyard::routing

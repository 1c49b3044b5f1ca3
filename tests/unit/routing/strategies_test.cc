// The registry, single and fallback, health filtering (OrderSteps) and the shared helpers.
#include <gtest/gtest.h>

#include "core/fnv1a.h"
#include "routing/strategy.h"
#include "routing/strategy_support.h"
#include "unit/routing/plan_builder.h"

namespace switchyard::routing {
namespace {

using testing_util::Names;
using testing_util::PlanBuilder;
using Strings = std::vector<std::string>;

class StrategiesTest : public ::testing::Test {
 protected:
  StrategiesTest() {
    context_.rng = &rng_;
    context_.health = &health_;
    context_.now = SteadyTime{} + std::chrono::hours(1000);
  }

  Strings Order(const Plan& plan, const RequestFeatures& features = {}) {
    return Names(plan, OrderSteps(plan, features, context_));
  }

  // Opens the breaker of `key` (five faults).
  void Trip(std::string_view key) {
    for (int i = 0; i < 5; ++i) health_.RecordFailure(key, context_.now, FailureKind::kFault);
  }

  PlanBuilder builder_;
  std::mt19937_64 rng_{7};
  HealthRegistry health_;
  RoutingContext context_;
};

TEST_F(StrategiesTest, RegistryKnowsEachStrategyThisVersionRuns) {
  for (std::string_view name :
       {"single", "fallback", "loadbalance", "cheapest", "fastest", "conditional", "race", "hedge",
        "ab"}) {
    EXPECT_NE(FindStrategy(name), nullptr) << name;
  }
  EXPECT_EQ(FindStrategy("race")->launch_mode(), LaunchMode::kRace);
  EXPECT_EQ(FindStrategy("hedge")->launch_mode(), LaunchMode::kHedge);
  EXPECT_EQ(FindStrategy("fallback")->launch_mode(), LaunchMode::kSequential);
  EXPECT_EQ(FindStrategy("ab")->launch_mode(), LaunchMode::kSequential);
  for (std::string_view name : {"", "Fallback"}) {
    EXPECT_EQ(FindStrategy(name), nullptr) << name;
  }
}

TEST_F(StrategiesTest, SingleTriesItsOneStep) {
  const Plan plan = builder_.Make("single", {"openai/gpt-4o"});
  EXPECT_EQ(Order(plan), Strings{"openai/gpt-4o"});
  EXPECT_TRUE(OrderSteps(builder_.Make("single", {}), {}, context_).empty());
}

TEST_F(StrategiesTest, FallbackKeepsTheWrittenOrder) {
  const Plan plan = builder_.Make("fallback", {"a/1", "b/2", "c/3"});
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2", "c/3"}));
}

TEST_F(StrategiesTest, AnUnknownStrategyNameTriesTheWrittenOrder) {
  const Plan plan = builder_.Make("mystery", {"a/1", "b/2"});
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));
}

TEST_F(StrategiesTest, OpenCircuitTargetsMoveLastButStay) {
  const Plan plan = builder_.Make("fallback", {"a/1", "b/2", "c/3", "d/4"});
  Trip("a/1");
  Trip("c/3");
  EXPECT_EQ(Order(plan), (Strings{"b/2", "d/4", "a/1", "c/3"}));
}

TEST_F(StrategiesTest, CoolingTargetsMoveLast) {
  const Plan plan = builder_.Make("fallback", {"a/1", "b/2"});
  health_.CoolDown("a/1", context_.now + std::chrono::seconds(10));
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));
  context_.now += std::chrono::seconds(10);
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));
}

TEST_F(StrategiesTest, WhenNothingIsAvailableEverythingIsStillTried) {
  const Plan plan = builder_.Make("fallback", {"a/1", "b/2"});
  Trip("a/1");
  Trip("b/2");
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));
  const Plan single = builder_.Make("single", {"a/1"});
  EXPECT_EQ(Order(single), Strings{"a/1"});
}

TEST_F(StrategiesTest, HealthFilteringAppliesAfterTheStrategysOwnOrder) {
  Plan plan = builder_.Make("loadbalance", {"a/1", "b/2", "c/3"});
  plan.steps[0].weight = 100;
  plan.steps[1].weight = 1;
  plan.steps[2].weight = 10;
  context_.rng = nullptr;  // every draw is 0: the pick is a
  context_.health = nullptr;
  EXPECT_EQ(Order(plan), (Strings{"a/1", "c/3", "b/2"}));
  context_.health = &health_;
  Trip("a/1");
  EXPECT_EQ(Order(plan), (Strings{"c/3", "b/2", "a/1"}));
}

TEST_F(StrategiesTest, ANestedRouteIsAvailableWhileAnyOfItsTargetsIs) {
  Plan plan = builder_.Make("fallback", {"a/1"});
  Plan inner = builder_.Make("fallback", {"b/2", "c/3"});
  inner.route = "inner";
  plan.steps.insert(plan.steps.begin(), PlanBuilder::Nested(inner));
  Trip("b/2");
  EXPECT_EQ(Order(plan), (Strings{"[inner]", "a/1"}));
  Trip("c/3");
  EXPECT_EQ(Order(plan), (Strings{"a/1", "[inner]"}));
}

TEST_F(StrategiesTest, HalfOpenTargetsAreTriedOnceTheProbeIsFree) {
  const Plan plan = builder_.Make("fallback", {"a/1", "b/2"});
  Trip("a/1");
  context_.now += std::chrono::seconds(30);
  EXPECT_EQ(Order(plan), (Strings{"a/1", "b/2"}));  // this call may probe
  health_.BeginAttempt("a/1", context_.now);
  EXPECT_EQ(Order(plan), (Strings{"b/2", "a/1"}));  // other calls wait for its outcome
}

TEST_F(StrategiesTest, TargetKeyIsProviderSlashModel) {
  EXPECT_EQ(TargetKey(builder_.Target("openrouter/meta-llama/llama-3")),
            "openrouter/meta-llama/llama-3");
  EXPECT_EQ(TargetKey(PlannedTarget{nullptr, "m", {}, std::nullopt}), "?/m");
}

TEST(MetadataFromJsonTest, ScalarsAsText) {
  const Metadata metadata = MetadataFromJson(
      R"({"user":"u\u00e91","n":42,"f":1.50,"yes":true,"no":false,"nil":null,"o":{},"a":[]})");
  EXPECT_EQ(metadata, (Metadata{{"user", "u\xc3\xa9" "1"}, {"n", "42"}, {"f", "1.50"},
                                {"yes", "true"}, {"no", "false"}}));
  EXPECT_TRUE(MetadataFromJson("").empty());
  EXPECT_TRUE(MetadataFromJson("[1]").empty());
  EXPECT_TRUE(MetadataFromJson("{broken").empty());
}

TEST(StrategySupportTest, Fnv1aKnownValues) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

// Stable means the same points in every build and on every platform (sticky picks survive an
// upgrade): pinned values, computed independently (FNV-1a 64, MurmurHash3's fmix64, top 53 bits).
// The old check compared HashToUnit("u1") with itself, which no bug could fail.
TEST(StrategySupportTest, HashToUnitIsStableAndInRange) {
  EXPECT_EQ(internal::HashToUnit("u1"), 0x1.8ee6dfd4b116cp-2);
  EXPECT_EQ(internal::HashToUnit("u2"), 0x1.00e2b6b134b4fp-1);
  EXPECT_EQ(internal::HashToUnit("alice"), 0x1.a83e823d33e04p-3);
  EXPECT_EQ(internal::HashToUnit(""), 0x1.dfa03ec175325p-1);
  // In range, and spread: each tenth of [0, 1) gets 100 ± 40 of 1000 similar texts (they get
  // 83 to 115), which a hash without the finalizer, or a constant, would not.
  std::vector<int> tenths(10, 0);
  for (int i = 0; i < 1000; ++i) {
    const double point = internal::HashToUnit("user-" + std::to_string(i));
    ASSERT_GE(point, 0.0);
    ASSERT_LT(point, 1.0);
    ++tenths[static_cast<std::size_t>(point * 10)];
  }
  for (std::size_t tenth = 0; tenth < tenths.size(); ++tenth) {
    EXPECT_NEAR(tenths[tenth], 100, 40) << "tenth " << tenth;
  }
}

TEST(StrategySupportTest, PickWeightedSlicesTheUnitInterval) {
  PlanBuilder builder;
  Plan plan = builder.Make("loadbalance", {"a/1", "b/2", "c/3"});
  plan.steps[0].weight = 1;
  plan.steps[1].weight = 2;
  plan.steps[2].weight = 1;
  EXPECT_EQ(internal::PickWeighted(plan, 0.0), 0u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.2499), 0u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.25), 1u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.7499), 1u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.75), 2u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.99999), 2u);
  EXPECT_EQ(internal::PickWeighted(plan, 1.0), 2u);
}

TEST(StrategySupportTest, PickWeightedSlicesByFractionalShares) {
  PlanBuilder builder;
  Plan plan = builder.Make("loadbalance", {"a/1", "b/2"});
  plan.steps[0].weight = 0.7;
  plan.steps[1].weight = 0.3;
  EXPECT_EQ(internal::PickWeighted(plan, 0.0), 0u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.6999), 0u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.7001), 1u);
  EXPECT_EQ(internal::PickWeighted(plan, 0.99999), 1u);
  EXPECT_EQ(internal::PickWeighted(plan, 1.0), 1u);
}

TEST(StrategySupportTest, UniformDrawsAreInRangeAndZeroWithoutAGenerator) {
  RoutingContext context;
  EXPECT_EQ(internal::Uniform01(context), 0.0);
  std::mt19937_64 rng(1);
  context.rng = &rng;
  for (int i = 0; i < 1000; ++i) {
    const double draw = internal::Uniform01(context);
    EXPECT_GE(draw, 0.0);
    EXPECT_LT(draw, 1.0);
  }
}

TEST(StrategySupportTest, KeyOfUsesTheCompiledKeyWithoutACopy) {
  PlanBuilder builder;
  PlannedTarget target = builder.Target("openrouter/meta-llama/llama-3.1-8b-instruct");
  std::string scratch;
  EXPECT_EQ(internal::KeyOf(target, &scratch), "openrouter/meta-llama/llama-3.1-8b-instruct");
  EXPECT_EQ(scratch, "openrouter/meta-llama/llama-3.1-8b-instruct");  // made: no key yet
  target.key = TargetKey(target);
  scratch.clear();
  const std::string_view key = internal::KeyOf(target, &scratch);
  EXPECT_EQ(key.data(), target.key.data());
  EXPECT_TRUE(scratch.empty());
}

TEST(StrategySupportTest, CatalogProviderNameFollowsTheKnownHost) {
  PlanBuilder builder;
  pricing::PriceCatalog catalog;
  catalog.Put("openai", "gpt-4o", pricing::CatalogModel{});
  catalog.Put("work", "own-model", pricing::CatalogModel{});
  const hosts::HostProfile* openai = hosts::FindKnownHost("openai");
  ASSERT_NE(openai, nullptr);
  PlannedTarget target{builder.Provider("work", openai), "gpt-4o", {}, std::nullopt};
  EXPECT_EQ(internal::CatalogProviderName(catalog, target), "openai");
  target.model = "own-model";  // a price the config set under the configured name wins
  EXPECT_EQ(internal::CatalogProviderName(catalog, target), "work");
  PlannedTarget custom{builder.Provider("custom"), "x", {}, std::nullopt};
  EXPECT_EQ(internal::CatalogProviderName(catalog, custom), "custom");
}

}  // namespace
}  // namespace switchyard::routing

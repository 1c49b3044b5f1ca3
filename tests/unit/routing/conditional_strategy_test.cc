#include <gtest/gtest.h>

#include "routing/strategy.h"
#include "unit/routing/plan_builder.h"

namespace switchyard::routing {
namespace {

using testing_util::Names;
using testing_util::PlanBuilder;
using Strings = std::vector<std::string>;

class ConditionalTest : public ::testing::Test {
 protected:
  ConditionalTest() {
    context_.rng = &rng_;
    // Steps: one per rule below, then the default.
    plan_ = builder_.Make("conditional", {"pro/model", "claude/model", "tools/model",
                                          "vision/model", "stream/model", "named/model",
                                          "long/model", "default/model"});
    config::RouteCondition pro;  // metadata: every key must match
    pro.metadata = {{"plan", "pro"}, {"region", "eu"}};
    pro.target = 0;
    config::RouteCondition anthropic;
    anthropic.inbound = "anthropic";
    anthropic.target = 1;
    config::RouteCondition tools;
    tools.has_tools = true;
    tools.stream = false;  // and not streamed
    tools.target = 2;
    config::RouteCondition vision;
    vision.has_images = true;
    vision.target = 3;
    config::RouteCondition stream;
    stream.stream = true;
    stream.target = 4;
    config::RouteCondition named;
    named.model = "gpt-4o";
    named.target = 5;
    config::RouteCondition long_prompt;
    long_prompt.min_input_tokens = 100'000;
    long_prompt.target = 6;
    plan_.conditions = {pro, anthropic, tools, vision, stream, named, long_prompt};
    plan_.default_step = 7;
  }

  std::string Pick(const RequestFeatures& features) {
    const Strings order = Names(plan_, OrderSteps(plan_, features, context_));
    EXPECT_EQ(order.size(), 1u);
    return order.empty() ? "" : order[0];
  }

  PlanBuilder builder_;
  Plan plan_;
  std::mt19937_64 rng_{3};
  RoutingContext context_;
};

TEST_F(ConditionalTest, NoRuleMatchesTheDefault) {
  RequestFeatures features;
  features.inbound = "openai";
  features.model = "my-route";
  EXPECT_EQ(Pick(features), "default/model");
}

TEST_F(ConditionalTest, MetadataMustMatchEveryKey) {
  RequestFeatures features;
  features.metadata = {{"plan", "pro"}};
  EXPECT_EQ(Pick(features), "default/model");
  features.metadata = {{"plan", "pro"}, {"region", "eu"}, {"user", "u1"}};
  EXPECT_EQ(Pick(features), "pro/model");
  features.metadata = {{"plan", "pro"}, {"region", "us"}};
  EXPECT_EQ(Pick(features), "default/model");
}

TEST_F(ConditionalTest, EachFeatureCondition) {
  RequestFeatures anthropic;
  anthropic.inbound = "anthropic";
  EXPECT_EQ(Pick(anthropic), "claude/model");

  RequestFeatures tools;
  tools.has_tools = true;
  EXPECT_EQ(Pick(tools), "tools/model");
  tools.stream = true;  // the tools rule wants a plain call; the stream rule takes it
  EXPECT_EQ(Pick(tools), "stream/model");

  RequestFeatures vision;
  vision.has_images = true;
  EXPECT_EQ(Pick(vision), "vision/model");

  RequestFeatures named;
  named.model = "gpt-4o";
  EXPECT_EQ(Pick(named), "named/model");

  RequestFeatures long_prompt;
  long_prompt.input_tokens = 99'999;
  EXPECT_EQ(Pick(long_prompt), "default/model");
  long_prompt.input_tokens = 100'000;
  EXPECT_EQ(Pick(long_prompt), "long/model");
}

TEST_F(ConditionalTest, TheFirstMatchingRuleWins) {
  RequestFeatures features;
  features.inbound = "anthropic";
  features.has_images = true;
  features.metadata = {{"plan", "pro"}, {"region", "eu"}};
  EXPECT_EQ(Pick(features), "pro/model");
  features.metadata.clear();
  EXPECT_EQ(Pick(features), "claude/model");
}

TEST_F(ConditionalTest, AnEmptyRuleMatchesEverything) {
  config::RouteCondition any;
  any.target = 6;
  plan_.conditions.insert(plan_.conditions.begin(), any);
  EXPECT_EQ(Pick(RequestFeatures{}), "long/model");
}

TEST_F(ConditionalTest, ThePickStandsEvenWhenUnhealthy) {
  HealthRegistry health;
  context_.health = &health;
  for (int i = 0; i < 5; ++i) health.RecordFailure("default/model", context_.now, FailureKind::kFault);
  EXPECT_EQ(Pick(RequestFeatures{}), "default/model");
}

TEST_F(ConditionalTest, ARuleOutOfRangeYieldsNothing) {
  plan_.conditions.clear();
  plan_.default_step = 99;
  EXPECT_TRUE(OrderSteps(plan_, RequestFeatures{}, context_).empty());
}

}  // namespace
}  // namespace switchyard::routing

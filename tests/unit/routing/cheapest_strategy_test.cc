#include <gtest/gtest.h>

#include "routing/strategy.h"
#include "unit/routing/plan_builder.h"

namespace switchyard::routing {
namespace {

using testing_util::Names;
using testing_util::PlanBuilder;
using Strings = std::vector<std::string>;

// USD per million tokens → the catalog's nano-dollars per million.
pricing::Nanos Usd(double per_million) {
  return static_cast<pricing::Nanos>(per_million * 1e9 + 0.5);
}

struct Model {
  std::optional<double> input, output;  // USD per million tokens
  pricing::Capabilities caps;
};

pricing::Capabilities Caps(std::int64_t window, bool tools, bool vision, bool json_schema,
                           std::optional<std::int64_t> max_output = std::nullopt) {
  pricing::Capabilities caps;
  caps.context_window = window;
  caps.max_output_tokens = max_output;
  caps.tools = tools;
  caps.vision = vision;
  caps.json_schema = json_schema;
  return caps;
}

class CheapestTest : public ::testing::Test {
 protected:
  CheapestTest() {
    context_.rng = &rng_;
    context_.catalog = &catalog_;
    context_.request_time = std::chrono::sys_days(std::chrono::year(2026) / 6 / 1);
    Add("p/small", {0.10, 0.40, Caps(16'000, true, false, false, 4'096)});
    Add("p/vision", {1.00, 4.00, Caps(128'000, true, true, true, 16'384)});
    Add("p/long", {5.00, 15.00, Caps(1'000'000, true, true, true, 64'000)});
  }

  void Add(std::string_view key, const Model& model) {
    const std::size_t slash = key.find('/');
    pricing::CatalogModel entry;
    entry.capabilities = model.caps;
    pricing::ModelPrice price;
    if (model.input) price.base.input = Usd(*model.input);
    if (model.output) price.base.output = Usd(*model.output);
    entry.periods.push_back(price);
    catalog_.Put(std::string(key.substr(0, slash)), std::string(key.substr(slash + 1)), entry);
  }

  Strings Order(const Plan& plan, const RequestFeatures& features) {
    return Names(plan, OrderSteps(plan, features, context_));
  }

  static RequestFeatures Prompt(std::int64_t input_tokens) {
    RequestFeatures features;
    features.input_tokens = input_tokens;
    return features;
  }

  PlanBuilder builder_;
  pricing::PriceCatalog catalog_;
  std::mt19937_64 rng_{1};
  RoutingContext context_;
};

TEST_F(CheapestTest, APlainShortRequestGoesToTheCheapest) {
  const Plan plan = builder_.Make("cheapest", {"p/long", "p/vision", "p/small"});
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"p/small", "p/vision", "p/long"}));
}

TEST_F(CheapestTest, ToolsAreOfferedByAll) {
  const Plan plan = builder_.Make("cheapest", {"p/long", "p/vision", "p/small"});
  RequestFeatures features = Prompt(500);
  features.has_tools = true;
  EXPECT_EQ(Order(plan, features), (Strings{"p/small", "p/vision", "p/long"}));
}

TEST_F(CheapestTest, ImagesNeedVision) {
  const Plan plan = builder_.Make("cheapest", {"p/long", "p/vision", "p/small"});
  RequestFeatures features = Prompt(500);
  features.has_images = true;
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "p/long", "p/small"}));
}

TEST_F(CheapestTest, JsonSchemaOutputNeedsItsCapability) {
  const Plan plan = builder_.Make("cheapest", {"p/small", "p/long", "p/vision"});
  RequestFeatures features = Prompt(500);
  features.wants_json_schema = true;
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "p/long", "p/small"}));
}

TEST_F(CheapestTest, ALongPromptNeedsALargeEnoughWindow) {
  const Plan plan = builder_.Make("cheapest", {"p/small", "p/vision", "p/long"});
  EXPECT_EQ(Order(plan, Prompt(100'000)), (Strings{"p/vision", "p/long", "p/small"}));
  EXPECT_EQ(Order(plan, Prompt(500'000)), (Strings{"p/long", "p/small", "p/vision"}));
}

TEST_F(CheapestTest, MaxTokensCountsAgainstTheWindowAndTheOutputLimit) {
  const Plan plan = builder_.Make("cheapest", {"p/small", "p/vision"});
  RequestFeatures features = Prompt(14'000);
  features.max_tokens = 1'000;
  EXPECT_EQ(Order(plan, features), (Strings{"p/small", "p/vision"}));  // 15 000 ≤ 16 000
  features.max_tokens = 3'000;
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "p/small"}));  // 17 000 > 16 000
  features = Prompt(10);
  features.max_tokens = 8'000;  // beyond small's 4 096 output tokens
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "p/small"}));
}

TEST_F(CheapestTest, ExpectedOutputWeighsIn) {
  Add("p/cheap-in", {0.10, 10.00, Caps(100'000, true, true, true)});
  Add("p/cheap-out", {1.00, 1.00, Caps(100'000, true, true, true)});
  const Plan plan = builder_.Make("cheapest", {"p/cheap-out", "p/cheap-in"});
  RequestFeatures features = Prompt(10'000);
  features.max_tokens = 50;  // in: 0.001 + 0.0005; out: 0.01 + 0.00005
  EXPECT_EQ(Order(plan, features), (Strings{"p/cheap-in", "p/cheap-out"}));
  features.max_tokens = 5'000;  // in: 0.001 + 0.05; out: 0.01 + 0.005
  EXPECT_EQ(Order(plan, features), (Strings{"p/cheap-out", "p/cheap-in"}));
  features.max_tokens.reset();  // the default 1000 output tokens: in 0.011, out 0.011 → tie
  EXPECT_EQ(Order(plan, features), (Strings{"p/cheap-out", "p/cheap-in"}));
  context_.options.default_output_tokens = 100;
  EXPECT_EQ(Order(plan, features), (Strings{"p/cheap-in", "p/cheap-out"}));
}

TEST_F(CheapestTest, UnknownCapabilitiesRankBetweenFitsAndMisfits) {
  Model unknown{0.01, 0.01, {}};  // the cheapest, but the catalog knows nothing of what it takes
  Add("p/mystery", unknown);
  const Plan plan = builder_.Make("cheapest", {"p/small", "p/mystery", "p/vision"});
  RequestFeatures features = Prompt(500);
  features.has_images = true;
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "p/mystery", "p/small"}));
  // A target the catalog does not list at all is unknown too, and unpriced.
  const Plan with_custom = builder_.Make("cheapest", {"local/llama", "p/small"});
  EXPECT_EQ(Order(with_custom, Prompt(500)), (Strings{"p/small", "local/llama"}));
}

TEST_F(CheapestTest, UnpricedTargetsComeLastAndTiesKeepTheWrittenOrder) {
  Add("p/free-caps", {std::nullopt, std::nullopt, Caps(100'000, true, true, true)});
  Add("p/twin", {0.10, 0.40, Caps(16'000, true, false, false, 4'096)});
  const Plan plan = builder_.Make("cheapest", {"p/free-caps", "p/twin", "p/vision", "p/small"});
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"p/twin", "p/small", "p/vision", "p/free-caps"}));
}

TEST_F(CheapestTest, WithoutACatalogTheWrittenOrderStands) {
  context_.catalog = nullptr;
  const Plan plan = builder_.Make("cheapest", {"p/long", "p/small"});
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"p/long", "p/small"}));
}

TEST_F(CheapestTest, AKnownHostUnderAnotherNameUsesItsCatalogEntries) {
  pricing::CatalogModel entry;
  entry.capabilities = Caps(128'000, true, true, true);
  pricing::ModelPrice price;
  price.base.input = Usd(0.01);
  price.base.output = Usd(0.01);
  entry.periods.push_back(price);
  catalog_.Put("openai", "gpt-tiny", entry);
  builder_.Provider("work-openai", hosts::FindKnownHost("openai"));
  const Plan plan = builder_.Make("cheapest", {"p/small", "work-openai/gpt-tiny"});
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"work-openai/gpt-tiny", "p/small"}));
}

TEST_F(CheapestTest, ANestedRouteCountsAsItsBestTarget) {
  Plan plan = builder_.Make("cheapest", {"p/vision"});
  Plan inner = builder_.Make("fallback", {"p/long", "p/small"});
  inner.route = "inner";
  plan.steps.push_back(PlanBuilder::Nested(inner));
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"[inner]", "p/vision"}));
  RequestFeatures features = Prompt(500);
  features.has_images = true;  // inner's best fit is then p/long, dearer than p/vision
  EXPECT_EQ(Order(plan, features), (Strings{"p/vision", "[inner]"}));
}

TEST_F(CheapestTest, UnhealthyTargetsMoveLastEvenWhenCheapest) {
  HealthRegistry health;
  context_.health = &health;
  for (int i = 0; i < 5; ++i) health.RecordFailure("p/small", context_.now, FailureKind::kFault);
  const Plan plan = builder_.Make("cheapest", {"p/long", "p/vision", "p/small"});
  EXPECT_EQ(Order(plan, Prompt(500)), (Strings{"p/vision", "p/long", "p/small"}));
}

}  // namespace
}  // namespace switchyard::routing

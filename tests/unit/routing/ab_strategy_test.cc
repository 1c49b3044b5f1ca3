// The `ab` strategy (issue 17): one variant per call, never a fallback to another; the gateway's
// assignment wins; without it, the sticky value pins the variant for an epoch and the shares split
// the users.
#include <gtest/gtest.h>

#include <map>

#include "experiments/assignment.h"
#include "routing/strategy.h"
#include "unit/routing/plan_builder.h"

namespace switchyard::routing {
namespace {

using testing_util::PlanBuilder;

class AbStrategyTest : public ::testing::Test {
 protected:
  AbStrategyTest() { context_.rng = &rng_; }

  Plan Experiment(double share_a, double share_b, std::string epoch = "e1") {
    Plan plan = builder_.Make("ab", {});
    plan.steps.push_back({builder_.Target("openai/a"), nullptr, share_a});
    plan.steps.push_back({builder_.Target("groq/b"), nullptr, share_b});
    plan.sticky = "user";
    plan.epoch = std::move(epoch);
    return plan;
  }

  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features) {
    return OrderSteps(plan, features, context_);
  }

  static RequestFeatures ForUser(std::string user) {
    RequestFeatures features;
    features.metadata["user"] = std::move(user);
    return features;
  }

  PlanBuilder builder_;
  std::mt19937_64 rng_{17};
  RoutingContext context_;
};

TEST_F(AbStrategyTest, TheGatewaysAssignmentIsTheOnlyStep) {
  const Plan plan = Experiment(50, 50);
  RequestFeatures features = ForUser("u1");
  features.variant = 1;
  EXPECT_EQ(Order(plan, features), (std::vector<std::size_t>{1}));
  features.variant = 0;
  EXPECT_EQ(Order(plan, features), (std::vector<std::size_t>{0}));
  features.variant = 7;  // out of range: ignored, the configured shares decide
  EXPECT_EQ(Order(plan, features).size(), 1u);
}

TEST_F(AbStrategyTest, AStickyUserKeepsTheirVariantAndSharesSplitUsers) {
  const Plan plan = Experiment(70, 30);
  std::map<std::size_t, int> counts;
  for (int user = 0; user < 2000; ++user) {
    const RequestFeatures features = ForUser("user-" + std::to_string(user));
    const std::vector<std::size_t> first = Order(plan, features);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(Order(plan, features), first);  // the same user, the same variant
    ++counts[first[0]];
    const std::vector<double> shares = {70, 30};
    EXPECT_EQ(first[0], *experiments::AssignVariant(shares, "e1", "user-" + std::to_string(user)));
  }
  EXPECT_GT(counts[0], 1300);  // 1400 expected; a hash, not a draw: fixed for these names
  EXPECT_LT(counts[0], 1500);
}

TEST_F(AbStrategyTest, AZeroShareGetsNoUsers) {
  const Plan plan = Experiment(1, 0);
  for (int user = 0; user < 200; ++user) {
    EXPECT_EQ(Order(plan, ForUser(std::to_string(user))), (std::vector<std::size_t>{0}));
  }
  RequestFeatures anonymous;  // no sticky value: a draw by the shares
  for (int call = 0; call < 200; ++call) {
    EXPECT_EQ(Order(plan, anonymous), (std::vector<std::size_t>{0}));
  }
}

}  // namespace
}  // namespace switchyard::routing

// Variant assignment: sticky, proportional to the shares, reshuffled by a new epoch; the judging
// sample reproducible and of the asked size.
#include "experiments/assignment.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace switchyard::experiments {
namespace {

TEST(AssignmentTest, OneUserAlwaysSeesOneVariant) {
  const std::array<double, 2> shares = {50, 50};
  for (int user = 0; user < 100; ++user) {
    const std::string id = "user-" + std::to_string(user);
    EXPECT_EQ(AssignVariant(shares, "trial#1", id), AssignVariant(shares, "trial#1", id));
  }
}

TEST(AssignmentTest, SplitsInProportionToTheShares) {
  const std::array<double, 3> shares = {70, 20, 10};
  std::array<int, 3> counts{};
  constexpr int kUsers = 20'000;
  for (int user = 0; user < kUsers; ++user) {
    ++counts[*AssignVariant(shares, "trial#1", "user-" + std::to_string(user))];
  }
  // Within 1.5 points of each share (a binomial's standard deviation here is about 0.3 points).
  EXPECT_NEAR(counts[0] * 100.0 / kUsers, 70, 1.5);
  EXPECT_NEAR(counts[1] * 100.0 / kUsers, 20, 1.5);
  EXPECT_NEAR(counts[2] * 100.0 / kUsers, 10, 1.5);
}

TEST(AssignmentTest, AZeroShareGetsNobodyAndNoSharesNoVariant) {
  const std::array<double, 2> shares = {0, 1};
  for (int user = 0; user < 1000; ++user) {
    EXPECT_EQ(AssignVariant(shares, "e", std::to_string(user)), 1u);
  }
  const std::array<double, 2> none = {0, 0};
  EXPECT_FALSE(AssignVariant(none, "e", "u"));
}

TEST(AssignmentTest, ANewEpochReshufflesUsers) {
  const std::array<double, 2> shares = {50, 50};
  int moved = 0;
  for (int user = 0; user < 2000; ++user) {
    const std::string id = "user-" + std::to_string(user);
    moved += AssignVariant(shares, "trial#1", id) != AssignVariant(shares, "trial#2", id);
  }
  EXPECT_NEAR(moved, 1000, 120) << "about half move: the epochs' splits are independent";
}

TEST(AssignmentTest, TheSampleIsReproducibleAndOfItsSize) {
  int sampled = 0;
  for (int call = 0; call < 10'000; ++call) {
    const std::string id = "req_" + std::to_string(call);
    const bool in = InSample(0.2, "trial#1", id);
    EXPECT_EQ(in, InSample(0.2, "trial#1", id));
    sampled += in;
  }
  EXPECT_NEAR(sampled, 2000, 150);
  EXPECT_FALSE(InSample(0, "e", "r"));
  EXPECT_TRUE(InSample(1, "e", "r"));
}

TEST(AssignmentTest, SaltAndValueCannotBeShiftedIntoEachOther) {
  EXPECT_NE(UnitHash("ab", "c"), UnitHash("a", "bc"));
}

}  // namespace
}  // namespace switchyard::experiments

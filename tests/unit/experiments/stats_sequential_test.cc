// The verdict's sequential test: its error rate holds when it is looked at after every
// observation (where a naive z-test's does not), it detects a clearly better B, and it stays
// decided once it has decided. Every simulation is seeded, so the rates below are exact for this
// code, not merely likely.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "experiments/stats/sequential_test.h"

namespace switchyard::experiments {
namespace {

constexpr int kRuns = 2000;
constexpr int kObservations = 500;

// Outcomes of 1, 0.5 and 0 with a 20% tie rate and mean `mean`: P(1) = mean - 0.1.
class OutcomeSource {
 public:
  OutcomeSource(double mean, std::uint64_t seed) : win_(mean - 0.1), rng_(seed) {}
  double Next() {
    const double u = uniform_(rng_);
    if (u < win_) return 1.0;
    return u < win_ + 0.2 ? 0.5 : 0.0;
  }

 private:
  double win_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

// The naive procedure the test replaces: a one-sided z-test of mean > m0 at 5%, re-run after every
// observation from the 10th on (before that the sample variance means little).
class PeekedZTest {
 public:
  explicit PeekedZTest(double m0) : m0_(m0) {}
  void Add(double x) {
    ++n_;
    sum_ += x;
    sum_sq_ += x * x;
    if (n_ < 10) return;
    const double mean = sum_ / n_;
    const double variance = (sum_sq_ - n_ * mean * mean) / (n_ - 1);
    if (variance > 0 && (mean - m0_) / std::sqrt(variance / n_) >= 1.6448536269514722) {
      rejected_ = true;
    }
  }
  bool rejected() const { return rejected_; }

 private:
  double m0_;
  int n_ = 0;
  double sum_ = 0, sum_sq_ = 0;
  bool rejected_ = false;
};

struct Rates {
  double betting;        // runs in which "B is not worse" was ever rejected
  double betting_worse;  // runs in which "B is worse" was ever rejected
  double naive;          // runs in which the peeked z-test ever rejected
};

Rates Simulate(double true_mean, std::uint64_t seed) {
  std::mt19937_64 seeds(seed);
  int betting = 0, worse = 0, naive = 0;
  for (int run = 0; run < kRuns; ++run) {
    OutcomeSource source(true_mean, seeds());
    NonInferiorityTest test(0.05, 0.95);
    PeekedZTest z(0.45);
    for (int i = 0; i < kObservations; ++i) {
      const double x = source.Next();
      test.Add(x);
      z.Add(x);
    }
    // rejected() is sticky, so "ever rejected at any peek" is its value at the end.
    betting += test.rejected();
    worse += test.worse();
    naive += z.rejected();
  }
  return {betting / double(kRuns), worse / double(kRuns), naive / double(kRuns)};
}

// With these seeds: at the null boundary (E[x] = 0.45) the betting test rejects "B is not worse"
// in 3.0% of 2,000 runs and "B is worse" in 3.25%, while the peeked z-test rejects in 30.9%. At
// E[x] = 0.6 it decides "not worse" in 100% of runs, at E[x] = 0.3 "worse" in 100%.
TEST(SequentialTest, HoldsItsErrorRateUnderContinuousPeekingWhereAZTestDoesNot) {
  // The null at its boundary: B's true win rate is exactly 0.5 - margin.
  const Rates rates = Simulate(0.45, 20261208);
  EXPECT_LE(rates.betting, 0.05) << "naive " << rates.naive;
  // At the boundary the reverse claim "B is worse" (p_B < 0.45) is false too, so it is held to
  // alpha as well.
  EXPECT_LE(rates.betting_worse, 0.05);
  EXPECT_GE(rates.naive, 0.15);
}

TEST(SequentialTest, DetectsAClearlyBetterB) {
  const Rates rates = Simulate(0.6, 7);
  EXPECT_GE(rates.betting, 0.9);
  EXPECT_EQ(rates.betting_worse, 0.0);
}

TEST(SequentialTest, DetectsAClearlyWorseB) {
  const Rates rates = Simulate(0.3, 11);
  EXPECT_GE(rates.betting_worse, 0.9);
  EXPECT_EQ(rates.betting, 0.0);
}

TEST(SequentialTest, StartsAtWealthOneAndBetsAsWorkedOutByHand) {
  NonInferiorityTest test(0.05, 0.95);
  EXPECT_EQ(test.n(), 0);
  EXPECT_EQ(test.wealth(), 1.0);
  EXPECT_EQ(test.mean(), 0.5);
  EXPECT_DOUBLE_EQ(test.boundary(), 0.45);
  EXPECT_DOUBLE_EQ(test.confidence(), 0.95);
  // The first stake: smoothed mean 1/2, variance 1/4, d = 0.05: 0.05 / (0.25 + 0.0025); a win
  // then multiplies the wealth by 1 + stake * 0.55.
  const double stake = 0.05 / 0.2525;
  EXPECT_NEAR(test.not_worse_test().NextBet(), stake, 1e-12);
  test.Add(1);
  EXPECT_NEAR(test.wealth(), 1 + stake * 0.55, 1e-12);
  // The reverse test sees y = 0 against m = 0.55: its smoothed mean 0.5 is below, so it stakes 0.
  EXPECT_EQ(test.worse_wealth(), 1.0);
  EXPECT_EQ(test.n(), 1);
  EXPECT_EQ(test.mean(), 1.0);
}

TEST(SequentialTest, NeverBetsAgainstItselfSoWealthStaysPositive) {
  BettingTest test(0.45, 0.05);
  for (int i = 0; i < 1000; ++i) test.Add(0);
  EXPECT_EQ(test.NextBet(), 0.0);
  EXPECT_GT(test.wealth(), 0.0);
  EXPECT_FALSE(test.rejected());
}

TEST(SequentialTest, ADecisionStaysDecidedWhateverComesAfter) {
  NonInferiorityTest test(0.05, 0.95);
  std::int64_t decided_at = 0;
  for (int i = 0; i < 200 && !test.rejected(); ++i) {
    test.Add(1);
    decided_at = test.n();
  }
  ASSERT_TRUE(test.rejected());
  EXPECT_LT(decided_at, 30);
  EXPECT_GE(test.wealth(), 20.0);
  EXPECT_EQ(test.not_worse_test().MoreNeeded(), 0);
  // A long run of losses afterwards: "not worse" stays rejected and stays the decision, even once
  // the reverse test rejects too.
  for (int i = 0; i < 2000; ++i) test.Add(0);
  EXPECT_TRUE(test.rejected());
  EXPECT_TRUE(test.worse());
  EXPECT_EQ(test.decision(), Decision::kNotWorse);
}

TEST(SequentialTest, IgnoresNaNAndClampsOutOfRangeOutcomes) {
  NonInferiorityTest test;
  test.Add(std::nan(""));
  EXPECT_EQ(test.n(), 0);
  test.Add(3);
  test.Add(-1);
  EXPECT_EQ(test.n(), 2);
  EXPECT_DOUBLE_EQ(test.mean(), 0.5);
}

TEST(SequentialTest, EstimatesMoreNeededOnlyWhenThereIsGrowthToExtrapolate) {
  BettingTest below(0.45, 0.05);
  BettingTest above(0.45, 0.05);
  for (int i = 0; i < 100; ++i) {
    below.Add(i % 5 < 2 ? 1 : 0);  // mean 0.4
    above.Add(i % 5 < 3 ? 1 : 0);  // mean 0.6
  }
  EXPECT_FALSE(below.MoreNeeded().has_value());
  ASSERT_TRUE(above.rejected() || above.MoreNeeded().has_value());
  BettingTest few(0.45, 0.05);
  const double pattern[] = {1, 0.5, 0, 1, 0};  // mean 0.5: above the boundary, but slowly
  for (int i = 0; i < BettingTest::kMinForEstimate - 1; ++i) few.Add(pattern[i % 5]);
  EXPECT_FALSE(few.rejected());
  EXPECT_FALSE(few.MoreNeeded().has_value());
}

}  // namespace
}  // namespace switchyard::experiments

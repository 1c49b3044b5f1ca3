// The verdict's sentences on fixed inputs: the test is fed a fixed repeating pattern of outcomes,
// so each decision (and each "about N more") is exactly reproducible.
#include <gtest/gtest.h>

#include <vector>

#include "experiments/stats/verdict.h"

namespace switchyard::experiments {
namespace {

NonInferiorityTest Fed(const std::vector<double>& pattern, int n, double margin = 0.05) {
  NonInferiorityTest test(margin, 0.95);
  for (int i = 0; i < n; ++i) test.Add(pattern[i % pattern.size()]);
  return test;
}

VariantSummary Variant(std::string name, std::int64_t calls, std::optional<double> cost) {
  VariantSummary variant;
  variant.name = std::move(name);
  variant.calls = calls;
  variant.cost_per_call_usd = cost;
  return variant;
}

const VariantSummary kA = Variant("gpt-4o", 206, 0.0100);

TEST(VerdictTest, NotWorseAndCheaper) {
  const NonInferiorityTest test = Fed({1, 1, 0.5, 0}, 206);  // B's win rate 0.625
  EXPECT_EQ(VerdictText(kA, Variant("gpt-4o-mini", 206, 0.0062), test),
            "gpt-4o-mini is not worse than gpt-4o (margin 5 points) at 38% less cost per call, "
            "n = 412, judged 206");
}

TEST(VerdictTest, WorseAndDearer) {
  const NonInferiorityTest test = Fed({0, 0.5, 0, 1, 0}, 206);  // B's win rate 0.3
  EXPECT_EQ(VerdictText(kA, Variant("claude", 206, 0.0112), test),
            "claude is worse than gpt-4o by more than 5 points at 12% more cost per call, "
            "n = 412, judged 206");
}

TEST(VerdictTest, SameCostUnknownCostAndAFractionalMargin) {
  const NonInferiorityTest test = Fed({1, 1, 0.5, 0}, 206, 0.025);
  EXPECT_EQ(VerdictText(kA, Variant("B", 206, 0.01003), test),
            "B is not worse than gpt-4o (margin 2.5 points) at the same cost per call, n = 412, "
            "judged 206");
  EXPECT_EQ(VerdictText(kA, Variant("B", 206, std::nullopt), test),
            "B is not worse than gpt-4o (margin 2.5 points), n = 412, judged 206");
  EXPECT_EQ(VerdictText(Variant("free", 206, 0.0), Variant("B", 206, 0.01), test),
            "B is not worse than free (margin 2.5 points), n = 412, judged 206");
}

TEST(VerdictTest, NotEnoughEvidenceWithAnEstimate) {
  // B's win rate 0.5 against a boundary of 0.45: growing, slowly.
  const NonInferiorityTest test = Fed({1, 0.5, 0, 1, 0}, 120);
  EXPECT_EQ(VerdictText(Variant("A", 1500, 0.01), Variant("B", 900, 0.02), test),
            "Not enough evidence yet (about 750 more judged calls at the current rate), "
            "n = 2,400, judged 120");
}

TEST(VerdictTest, NotEnoughEvidenceWithoutAnEstimate) {
  // Too few judged comparisons to extrapolate from.
  EXPECT_EQ(VerdictText(kA, Variant("B", 30, 0.01), Fed({1, 0.5, 0, 1, 0}, 30)),
            "Not enough evidence yet, n = 236, judged 30");
  // B's win rate 0.375, below the 0.45 it must beat: no number of calls would be honest.
  EXPECT_EQ(VerdictText(kA, Variant("B", 60, 0.01), Fed({1, 0, 0.5, 0}, 60)),
            "Not enough evidence yet, n = 266, judged 60");
  // Nothing judged at all.
  EXPECT_EQ(VerdictText(Variant("A", 0, {}), Variant("B", 0, {}), NonInferiorityTest()),
            "Not enough evidence yet, n = 0, judged 0");
}

TEST(VerdictTest, WinRateIntervalAndErrorRate) {
  VariantSummary b = Variant("B", 20, 0.01);
  b.wins = 6;
  b.ties = 2;
  b.losses = 2;
  b.errors = 1;
  EXPECT_DOUBLE_EQ(*WinRate(b), 0.7);
  const Interval interval = WinRateInterval(b);
  EXPECT_NEAR(interval.low, 0.3968, 1e-4);
  EXPECT_NEAR(interval.high, 0.8922, 1e-4);
  EXPECT_DOUBLE_EQ(*ErrorRate(b), 0.05);
  EXPECT_FALSE(WinRate(Variant("A", 0, {})).has_value());
  EXPECT_FALSE(ErrorRate(Variant("A", 0, {})).has_value());
}

}  // namespace
}  // namespace switchyard::experiments

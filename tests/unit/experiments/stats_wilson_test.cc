// The Wilson interval against values worked out by hand (the closed forms at 0 and n successes,
// z^2/(n+z^2) and n/(n+z^2), are easy to check on paper).
#include <gtest/gtest.h>

#include "experiments/stats/wilson.h"

namespace switchyard::experiments {
namespace {

TEST(WilsonTest, SevenOfTen) {
  const Interval interval = WilsonInterval(7, 10);
  EXPECT_NEAR(interval.low, 0.3968, 1e-4);
  EXPECT_NEAR(interval.high, 0.8922, 1e-4);
}

TEST(WilsonTest, NoTrialsMeansNothingIsKnown) {
  const Interval interval = WilsonInterval(0, 0);
  EXPECT_EQ(interval.low, 0.0);
  EXPECT_EQ(interval.high, 1.0);
}

TEST(WilsonTest, AllOrNoneStaysInsideZeroToOneWithAWidth) {
  // 10/10: low = n / (n + z^2) = 10 / 13.8415 = 0.7225; 0/10: high = z^2 / (n + z^2) = 0.2775.
  const Interval all = WilsonInterval(10, 10);
  EXPECT_NEAR(all.low, 0.7225, 1e-4);
  EXPECT_LE(all.high, 1.0);
  EXPECT_NEAR(all.high, 1.0, 1e-12);
  const Interval none = WilsonInterval(0, 10);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.2775, 1e-4);
}

TEST(WilsonTest, TiesCountHalf) {
  // 5 wins and 1 tie of 10: 5.5 successes.
  const Interval interval = WilsonInterval(5.5, 10);
  EXPECT_NEAR(interval.low, 0.2737, 1e-4);
  EXPECT_NEAR(interval.high, 0.7986, 1e-4);
}

TEST(WilsonTest, EvenSplitIsSymmetricAndNarrowsWithN) {
  const Interval interval = WilsonInterval(206, 412);
  EXPECT_NEAR(interval.low, 0.4519, 1e-4);
  EXPECT_NEAR(interval.high, 0.5481, 1e-4);
  EXPECT_NEAR(interval.low + interval.high, 1.0, 1e-12);
}

TEST(WilsonTest, ANarrowerZGivesANarrowerInterval) {
  const Interval ninety = WilsonInterval(7, 10, 1.6448536269514722);
  const Interval ninety_five = WilsonInterval(7, 10);
  EXPECT_GT(ninety.low, ninety_five.low);
  EXPECT_LT(ninety.high, ninety_five.high);
}

}  // namespace
}  // namespace switchyard::experiments

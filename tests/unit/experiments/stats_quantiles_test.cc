// Nearest-rank percentiles on data small enough to rank by eye.
#include <gtest/gtest.h>

#include <vector>

#include "experiments/stats/quantiles.h"

namespace switchyard::experiments {
namespace {

TEST(QuantilesTest, EmptyHasNone) {
  EXPECT_FALSE(Percentiles({}).has_value());
  EXPECT_FALSE(NearestRank({}, 0.5).has_value());
}

TEST(QuantilesTest, OneValueIsEveryPercentile) {
  const auto percentiles = Percentiles({42});
  ASSERT_TRUE(percentiles.has_value());
  EXPECT_EQ(percentiles->p50_ms, 42);
  EXPECT_EQ(percentiles->p95_ms, 42);
}

TEST(QuantilesTest, NearestRankOnUnsortedData) {
  // Sorted: 15 20 35 40 50. p50: rank ceil(2.5) = 3 -> 35; p95: rank ceil(4.75) = 5 -> 50.
  const auto percentiles = Percentiles({50, 15, 40, 20, 35});
  ASSERT_TRUE(percentiles.has_value());
  EXPECT_EQ(percentiles->p50_ms, 35);
  EXPECT_EQ(percentiles->p95_ms, 50);
}

TEST(QuantilesTest, ExactRanksAreNotRoundedUpByFloatingPoint) {
  // 1..100: p50 is the 50th value, p95 the 95th (0.95 * 100 is 95.00000000000001 in binary).
  std::vector<double> values;
  for (int v = 100; v >= 1; --v) values.push_back(v);
  const auto percentiles = Percentiles(values);
  ASSERT_TRUE(percentiles.has_value());
  EXPECT_EQ(percentiles->p50_ms, 50);
  EXPECT_EQ(percentiles->p95_ms, 95);
}

TEST(QuantilesTest, OutOfRangeQuantileHasNone) {
  EXPECT_FALSE(NearestRank({1, 2}, 0).has_value());
  EXPECT_FALSE(NearestRank({1, 2}, 1.5).has_value());
  EXPECT_EQ(NearestRank({1, 2}, 1), 2);
}

}  // namespace
}  // namespace switchyard::experiments

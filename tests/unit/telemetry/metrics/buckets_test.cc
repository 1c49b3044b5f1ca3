#include "telemetry/metrics/buckets.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace switchyard::telemetry::metrics {
namespace {

TEST(HistogramBucketsTest, BoundsAscend) {
  EXPECT_TRUE(std::is_sorted(kDurationBucketsSeconds.begin(), kDurationBucketsSeconds.end()));
  EXPECT_TRUE(std::is_sorted(kTimePerOutputTokenBucketsSeconds.begin(),
                             kTimePerOutputTokenBucketsSeconds.end()));
  EXPECT_EQ(kDurationBucketsSeconds.back(), 81.92);
  EXPECT_EQ(kTimePerOutputTokenBucketsSeconds.back(), 2.5);
}

TEST(HistogramBucketsTest, BucketIndexHasLeSemantics) {
  const std::span<const double> bounds = kDurationBucketsSeconds;
  EXPECT_EQ(BucketIndex(bounds, 0.0), 0u);
  EXPECT_EQ(BucketIndex(bounds, 0.01), 0u);  // on a bound: that bucket (value <= le)
  EXPECT_EQ(BucketIndex(bounds, 0.0100001), 1u);
  EXPECT_EQ(BucketIndex(bounds, 1.0), 7u);  // (0.64, 1.28]
  EXPECT_EQ(BucketIndex(bounds, 81.92), 13u);
  EXPECT_EQ(BucketIndex(bounds, 81.93), 14u);  // +Inf
  EXPECT_EQ(BucketIndex(bounds, std::numeric_limits<double>::infinity()), 14u);
  EXPECT_EQ(BucketIndex(bounds, std::nan("")), 14u);
}

static_assert(BucketIndex(kTimePerOutputTokenBucketsSeconds, 0.05) == 2);

}  // namespace
}  // namespace switchyard::telemetry::metrics

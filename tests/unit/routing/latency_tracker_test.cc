#include "routing/latency_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace switchyard::routing {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::chrono::steady_clock::time_point kStart =
    std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);

TEST(LatencyTrackerTest, NoSampleNoEstimate) {
  LatencyTracker tracker;
  EXPECT_FALSE(tracker.Estimate("p/m", LatencyMetric::kTotal));
  tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(100), kStart);
  EXPECT_FALSE(tracker.Estimate("p/m", LatencyMetric::kTtft));  // metrics are kept apart
  EXPECT_FALSE(tracker.Estimate("p/other", LatencyMetric::kTotal));
}

TEST(LatencyTrackerTest, FirstSampleIsTheEstimateThenItMovesByAlpha) {
  LatencyTracker tracker;  // alpha 0.3
  tracker.Record("p/m", LatencyMetric::kTtft, milliseconds(100), kStart);
  auto estimate = tracker.Estimate("p/m", LatencyMetric::kTtft);
  ASSERT_TRUE(estimate);
  EXPECT_DOUBLE_EQ(estimate->average_ms, 100.0);
  EXPECT_EQ(estimate->samples, 1);
  EXPECT_EQ(estimate->last_sample, kStart);

  tracker.Record("p/m", LatencyMetric::kTtft, milliseconds(200), kStart + seconds(1));
  estimate = tracker.Estimate("p/m", LatencyMetric::kTtft);
  EXPECT_DOUBLE_EQ(estimate->average_ms, 130.0);
  EXPECT_EQ(estimate->samples, 2);
  EXPECT_EQ(estimate->last_sample, kStart + seconds(1));
}

TEST(LatencyTrackerTest, KeepsSubMillisecondResolution) {
  LatencyTracker tracker;
  tracker.Record("p/m", LatencyMetric::kTotal, microseconds(250), kStart);
  EXPECT_DOUBLE_EQ(tracker.Estimate("p/m", LatencyMetric::kTotal)->average_ms, 0.25);
  tracker.Record("p/n", LatencyMetric::kTotal, microseconds(-5), kStart);
  EXPECT_DOUBLE_EQ(tracker.Estimate("p/n", LatencyMetric::kTotal)->average_ms, 0.0);
}

TEST(LatencyTrackerTest, ConvergesOnANewLevel) {
  LatencyTracker tracker;
  for (int i = 0; i < 5; ++i) {
    tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(1000), kStart + seconds(i));
  }
  for (int i = 0; i < 20; ++i) {
    tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(100), kStart + seconds(10 + i));
  }
  EXPECT_NEAR(tracker.Estimate("p/m", LatencyMetric::kTotal)->average_ms, 100.0, 1.0);
}

TEST(LatencyTrackerTest, ForgetsTheLeastRecentlySampledWhenFull) {
  LatencyOptions options;
  options.max_targets = 2;
  LatencyTracker tracker(options);
  tracker.Record("p/a", LatencyMetric::kTotal, milliseconds(1), kStart);
  tracker.Record("p/b", LatencyMetric::kTotal, milliseconds(1), kStart + seconds(1));
  tracker.Record("p/a", LatencyMetric::kTotal, milliseconds(1), kStart + seconds(2));
  tracker.Record("p/c", LatencyMetric::kTotal, milliseconds(1), kStart + seconds(3));
  EXPECT_TRUE(tracker.Estimate("p/a", LatencyMetric::kTotal));
  EXPECT_FALSE(tracker.Estimate("p/b", LatencyMetric::kTotal));
  EXPECT_TRUE(tracker.Estimate("p/c", LatencyMetric::kTotal));
}

}  // namespace
}  // namespace switchyard::routing

namespace switchyard::routing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::chrono::steady_clock::time_point kT0 =
    std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);

// The sample of rank ceil(q * n) (nearest rank), the quantile the window estimates.
double TrueQuantile(std::vector<double> samples, double q) {
  std::sort(samples.begin(), samples.end());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * samples.size())));
  return samples[rank - 1];
}

TEST(LatencyQuantileTest, NoSampleNoQuantileOneSampleIsItself) {
  LatencyTracker tracker;
  EXPECT_FALSE(tracker.Quantile("p/m", LatencyMetric::kTotal, 0.9, kT0));
  EXPECT_FALSE(tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0));
  tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(437), kT0);
  EXPECT_DOUBLE_EQ(*tracker.Quantile("p/m", LatencyMetric::kTotal, 0.5, kT0), 437.0);
  const auto q = tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0);
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(q->p99_ms, 437.0);
  EXPECT_EQ(q->samples, 1);
  EXPECT_FALSE(tracker.Quantile("p/m", LatencyMetric::kTtft, 0.5, kT0));  // metrics apart
  // Sub-millisecond: kept within the window's smallest and largest sample.
  tracker.Record("p/fast", LatencyMetric::kTtft, std::chrono::microseconds(250), kT0);
  EXPECT_DOUBLE_EQ(*tracker.Quantile("p/fast", LatencyMetric::kTtft, 0.9, kT0), 0.25);
}

// Known distributions from a seeded generator: p50/p90/p99 within the stated 5%.
TEST(LatencyQuantileTest, KnownDistributionsWithinTheErrorBound) {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> uniform(50, 2000);
  std::lognormal_distribution<double> lognormal(std::log(800), 0.6);
  for (int shape = 0; shape < 2; ++shape) {
    LatencyTracker tracker;
    std::vector<double> samples;
    for (int i = 0; i < 5000; ++i) {
      const double ms = shape == 0 ? uniform(rng) : lognormal(rng);
      const auto us = std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000));
      samples.push_back(static_cast<double>(us.count()) / 1000.0);
      tracker.Record("p/m", LatencyMetric::kTotal, us, kT0 + milliseconds(i));
    }
    const auto now = kT0 + seconds(5);
    for (double q : {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) {
      const double truth = TrueQuantile(samples, q);
      const double got = *tracker.Quantile("p/m", LatencyMetric::kTotal, q, now);
      EXPECT_LE(std::abs(got - truth) / truth, LatencyWindow::kRelativeError + 1e-9)
          << "shape " << shape << " q " << q << " truth " << truth << " got " << got;
    }
    const auto all = tracker.Quantiles("p/m", LatencyMetric::kTotal, now);
    EXPECT_DOUBLE_EQ(all->p90_ms, *tracker.Quantile("p/m", LatencyMetric::kTotal, 0.9, now));
    EXPECT_EQ(all->samples, 5000);
    EXPECT_LT(all->p50_ms, all->p90_ms);
    EXPECT_LT(all->p90_ms, all->p99_ms);
  }
}

// Every bucket's value is within the bound of everything the bucket holds, across the range.
TEST(LatencyQuantileTest, BucketsHoldTheBoundFromOneMsToTheTop) {
  for (double ms = 1.001; ms < 700'000; ms *= 1.013) {
    const double value = LatencyWindow::BucketValue(LatencyWindow::BucketOf(ms));
    EXPECT_LE(std::abs(value - ms) / ms, LatencyWindow::kRelativeError + 1e-9) << ms;
  }
  EXPECT_EQ(LatencyWindow::BucketOf(0.2), 0u);
  EXPECT_EQ(LatencyWindow::BucketOf(1e12), LatencyWindow::kBuckets - 1);
}

TEST(LatencyQuantileTest, OldSamplesLeaveTheWindow) {
  LatencyOptions options;
  options.window = seconds(40);  // 4 slices of 10 s
  LatencyTracker tracker(options);
  for (int i = 0; i < 100; ++i) {
    tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(1000), kT0 + milliseconds(i));
  }
  EXPECT_NEAR(*tracker.Quantile("p/m", LatencyMetric::kTotal, 0.5, kT0 + seconds(1)), 1000, 50);
  // 20 s later: fast samples join the slow ones (both in the window).
  for (int i = 0; i < 300; ++i) {
    tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(100),
                   kT0 + seconds(20) + milliseconds(i));
  }
  auto q = tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0 + seconds(21));
  EXPECT_EQ(q->samples, 400);
  EXPECT_NEAR(q->p50_ms, 100, 5);
  EXPECT_NEAR(q->p90_ms, 1000, 50);
  // Past the window of the slow samples' slice: only the fast ones remain.
  q = tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0 + seconds(45));
  EXPECT_EQ(q->samples, 300);
  EXPECT_NEAR(q->p99_ms, 100, 5);
  // Past the window of every sample: none, although the average is still known.
  EXPECT_FALSE(tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0 + seconds(70)));
  EXPECT_TRUE(tracker.Estimate("p/m", LatencyMetric::kTotal));
  // A new sample in a reused slot does not bring back what was there.
  tracker.Record("p/m", LatencyMetric::kTotal, milliseconds(7), kT0 + seconds(80));
  q = tracker.Quantiles("p/m", LatencyMetric::kTotal, kT0 + seconds(80));
  EXPECT_EQ(q->samples, 1);
  EXPECT_DOUBLE_EQ(q->p50_ms, 7);
}

TEST(LatencyQuantileTest, BoundedTargetsForgetTheirWindowsToo) {
  LatencyOptions options;
  options.max_targets = 2;
  LatencyTracker tracker(options);
  tracker.Record("p/a", LatencyMetric::kTotal, milliseconds(10), kT0);
  tracker.Record("p/b", LatencyMetric::kTotal, milliseconds(20), kT0 + seconds(1));
  tracker.Record("p/c", LatencyMetric::kTotal, milliseconds(30), kT0 + seconds(2));
  EXPECT_FALSE(tracker.Quantile("p/a", LatencyMetric::kTotal, 0.5, kT0 + seconds(2)));
  EXPECT_DOUBLE_EQ(*tracker.Quantile("p/c", LatencyMetric::kTotal, 0.5, kT0 + seconds(2)), 30);
  // Memory per window is fixed, whatever the traffic.
  EXPECT_LE(sizeof(LatencyWindow), LatencyWindow::kSlices * (LatencyWindow::kBuckets * 4 + 32) + 16);
}

}  // namespace
}  // namespace switchyard::routing

#include "routing/latency_tracker.h"

#include <gtest/gtest.h>

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

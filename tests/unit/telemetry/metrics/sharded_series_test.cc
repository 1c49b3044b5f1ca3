#include "telemetry/metrics/sharded_series.h"

#include <gtest/gtest.h>

#include <thread>

#include "telemetry/metrics/sharded_counter.h"
#include "telemetry/metrics/sharded_histogram.h"

namespace switchyard::telemetry::metrics {
namespace {

using std::chrono::milliseconds;

TEST(MetricSeriesKeyTest, PacksAndUnpacksIds) {
  const SeriesKey key = PackKey<4>({3, 0, 65534, 7});
  EXPECT_EQ(KeyLabel(key, 0), 3);
  EXPECT_EQ(KeyLabel(key, 1), 0);
  EXPECT_EQ(KeyLabel(key, 2), 65534);
  EXPECT_EQ(KeyLabel(key, 3), 7);
  EXPECT_EQ(PackKey<2>({0, 0}), kOverflowKey);
  EXPECT_NE(key, kEmptyKey);
}

TEST(MetricShardedCounterTest, TwoThreadsOnTheirOwnShardsMergeToTheSum) {
  ShardedCounter counter(2, 16);
  const SeriesKey a = PackKey<2>({1, 1});
  const SeriesKey b = PackKey<2>({2, 1});
  std::thread first([&] {
    for (int i = 0; i < 100000; ++i) counter.Add(0, a);
  });
  std::thread second([&] {
    for (int i = 0; i < 100000; ++i) counter.Add(1, i % 2 == 0 ? a : b, 3);
  });
  first.join();
  second.join();
  const std::map<SeriesKey, std::uint64_t> totals = counter.Merge();
  ASSERT_EQ(totals.size(), 2u);  // no overflow series while nothing overflowed
  EXPECT_EQ(totals.at(a), 100000u + 50000u * 3);
  EXPECT_EQ(totals.at(b), 50000u * 3);
}

TEST(MetricShardedCounterTest, SeriesPastTheBoundGoToOverflow) {
  ShardedCounter counter(1, 2);
  for (LabelId id = 1; id <= 5; ++id) counter.Add(0, PackKey<1>({id}), id);
  const std::map<SeriesKey, std::uint64_t> totals = counter.Merge();
  ASSERT_EQ(totals.size(), 3u);
  EXPECT_EQ(totals.at(PackKey<1>({1})), 1u);
  EXPECT_EQ(totals.at(PackKey<1>({2})), 2u);
  EXPECT_EQ(totals.at(kOverflowKey), 3u + 4u + 5u);
  counter.Add(0, PackKey<1>({1}));  // an existing series still counts as itself
  EXPECT_EQ(counter.Merge().at(PackKey<1>({1})), 2u);
}

TEST(MetricShardedSeriesTest, MergeSumsCellByCellAcrossShards) {
  ShardedSeries series(3, 4, 2);
  const SeriesKey key = PackKey<1>({9});
  for (std::size_t shard = 0; shard < 3; ++shard) {
    series.shard(shard).Add(key, 0, shard + 1);
    series.shard(shard).Add(key, 1, 10);
  }
  const auto totals = series.Merge();
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_EQ(totals.at(key), (std::vector<std::uint64_t>{6, 30}));
}

TEST(HistogramShardedTest, ObservationsLandInLeBucketsAndMerge) {
  const std::array<double, 3> bounds = {0.01, 0.1, 1.0};
  ShardedHistogram histogram(bounds, 2, 8);
  const SeriesKey key = PackKey<1>({1});
  histogram.Observe(0, key, milliseconds(10));    // on the bound: le="0.01"
  histogram.Observe(1, key, milliseconds(11));    // le="0.1"
  histogram.Observe(1, key, milliseconds(1000));  // le="1"
  histogram.Observe(0, key, milliseconds(5000));  // +Inf
  histogram.Observe(0, key, milliseconds(-3));    // a clock stepped back: zero
  const std::map<SeriesKey, HistogramCounts> merged = histogram.Merge();
  ASSERT_EQ(merged.size(), 1u);
  const HistogramCounts& counts = merged.at(key);
  EXPECT_EQ(counts.buckets, (std::vector<std::uint64_t>{2, 1, 1, 1}));
  EXPECT_EQ(counts.count(), 5u);
  EXPECT_EQ(counts.sum_nanoseconds, 6021000000u);
  EXPECT_DOUBLE_EQ(counts.sum_seconds(), 6.021);
}

}  // namespace
}  // namespace switchyard::telemetry::metrics

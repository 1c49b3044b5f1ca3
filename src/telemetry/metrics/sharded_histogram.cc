#include "telemetry/metrics/sharded_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace switchyard::telemetry::metrics {

std::uint64_t HistogramCounts::count() const {
  return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

ShardedHistogram::ShardedHistogram(std::span<const double> bounds, std::size_t shards,
                                   std::size_t max_series)
    : bounds_(bounds), series_(shards, max_series, bounds.size() + 2) {
  bounds_nanoseconds_.reserve(bounds.size());
  for (double bound : bounds) {
    bounds_nanoseconds_.push_back(static_cast<std::uint64_t>(std::llround(bound * 1e9)));
  }
}

void ShardedHistogram::Observe(std::size_t worker, SeriesKey key, std::chrono::nanoseconds value) {
  const std::uint64_t nanoseconds =
      value.count() > 0 ? static_cast<std::uint64_t>(value.count()) : 0;
  // le semantics, as BucketIndex: the first bound the value does not exceed.
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_nanoseconds_.begin(), bounds_nanoseconds_.end(), nanoseconds) -
      bounds_nanoseconds_.begin());
  std::atomic<std::uint64_t>* cells = series_.shard(worker).CellsOf(key);
  ShardedSeries::Shard::Bump(cells[bucket], 1);
  ShardedSeries::Shard::Bump(cells[bounds_.size() + 1], nanoseconds);
}

std::map<SeriesKey, HistogramCounts> ShardedHistogram::Merge() const {
  std::map<SeriesKey, HistogramCounts> merged;
  for (auto& [key, cells] : series_.Merge()) {
    HistogramCounts& counts = merged[key];
    counts.sum_nanoseconds = cells.back();
    cells.pop_back();
    counts.buckets = std::move(cells);
  }
  return merged;
}

}  // namespace switchyard::telemetry::metrics

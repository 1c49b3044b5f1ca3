// ShardedHistogram: a labelled histogram family of durations (e.g. request duration by route,
// provider, model and status class), one shard per worker, merged on scrape. See sharded_series.h
// for the threading rules and the bound.
//
// A series' cells are one count per bucket (not cumulative: an observation touches one bucket
// cell) then the sum in nanoseconds. Integer nanoseconds merge exactly and cannot be NaN; the
// count is the buckets' total, so _count always equals the +Inf bucket.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "telemetry/metrics/sharded_series.h"

namespace switchyard::telemetry::metrics {

// One series' merged histogram.
struct HistogramCounts {
  std::vector<std::uint64_t> buckets;  // per bucket, not cumulative; the last is above every bound
  std::uint64_t sum_nanoseconds = 0;

  std::uint64_t count() const;
  double sum_seconds() const { return static_cast<double>(sum_nanoseconds) / 1e9; }
};

class ShardedHistogram {
 public:
  // `bounds` (seconds, ascending; e.g. buckets.h) must outlive the histogram.
  ShardedHistogram(std::span<const double> bounds, std::size_t shards, std::size_t max_series);

  // Only worker `worker`'s thread may call this with that index. A negative duration (a clock
  // stepped back) counts as zero.
  void Observe(std::size_t worker, SeriesKey key, std::chrono::nanoseconds value);

  std::span<const double> bounds() const { return bounds_; }
  std::map<SeriesKey, HistogramCounts> Merge() const;

 private:
  std::span<const double> bounds_;
  // The bounds in nanoseconds: an observation is placed by integer compares, so 10 ms lands in
  // le="0.01" rather than one bucket up through a rounding of 1e7 * 1e-9.
  std::vector<std::uint64_t> bounds_nanoseconds_;
  ShardedSeries series_;
};

}  // namespace switchyard::telemetry::metrics

// ShardedCounter: a labelled counter family (e.g. tokens by type, provider and model), one shard
// per worker, summed on scrape. See sharded_series.h for the threading rules and the bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "telemetry/metrics/sharded_series.h"

namespace switchyard::telemetry::metrics {

class ShardedCounter {
 public:
  ShardedCounter(std::size_t shards, std::size_t max_series) : series_(shards, max_series, 1) {}

  // Only worker `worker`'s thread may call this with that index.
  void Add(std::size_t worker, SeriesKey key, std::uint64_t amount = 1) {
    series_.shard(worker).Add(key, 0, amount);
  }

  std::map<SeriesKey, std::uint64_t> Merge() const {
    std::map<SeriesKey, std::uint64_t> totals;
    for (const auto& [key, cells] : series_.Merge()) totals.emplace(key, cells[0]);
    return totals;
  }

 private:
  ShardedSeries series_;
};

}  // namespace switchyard::telemetry::metrics

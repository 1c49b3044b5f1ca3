#include "telemetry/metrics/sharded_series.h"

#include <algorithm>
#include <bit>

namespace switchyard::telemetry::metrics {

ShardedSeries::Shard::Shard(std::size_t max_series, std::size_t cells_per_series)
    : cells_per_series_(cells_per_series), max_series_(max_series) {
  // At most half full (overflow included), so a probe ends soon at an empty slot.
  const std::size_t slots = std::bit_ceil(2 * (max_series + 1));
  mask_ = slots - 1;
  keys_ = std::make_unique<std::atomic<SeriesKey>[]>(slots);
  cells_ = std::make_unique<std::atomic<std::uint64_t>[]>(slots * cells_per_series);
  for (std::size_t i = 0; i < slots; ++i) keys_[i].store(kEmptyKey, std::memory_order_relaxed);
  for (std::size_t i = 0; i < slots * cells_per_series; ++i) {
    cells_[i].store(0, std::memory_order_relaxed);
  }
  keys_[SlotOf(kOverflowKey)].store(kOverflowKey, std::memory_order_relaxed);
}

std::size_t ShardedSeries::Shard::SlotOf(SeriesKey key) const {
  // Fibonacci hashing: packed ids differ in few low bits of each field; the multiply spreads them.
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
}

std::atomic<std::uint64_t>* ShardedSeries::Shard::CellsOf(SeriesKey key) {
  for (std::size_t slot = SlotOf(key);; slot = (slot + 1) & mask_) {
    // Relaxed: only this thread stores keys, so it reads its own stores.
    const SeriesKey found = keys_[slot].load(std::memory_order_relaxed);
    if (found == key) return &cells_[slot * cells_per_series_];
    if (found != kEmptyKey) continue;
    if (used_ == max_series_) return CellsOf(kOverflowKey);  // present since construction
    ++used_;
    keys_[slot].store(key, std::memory_order_release);
    return &cells_[slot * cells_per_series_];
  }
}

void ShardedSeries::Shard::MergeInto(
    std::map<SeriesKey, std::vector<std::uint64_t>>& totals) const {
  for (std::size_t slot = 0; slot <= mask_; ++slot) {
    const SeriesKey key = keys_[slot].load(std::memory_order_acquire);
    if (key == kEmptyKey) continue;
    std::vector<std::uint64_t>& sums = totals[key];
    sums.resize(cells_per_series_, 0);
    for (std::size_t cell = 0; cell < cells_per_series_; ++cell) {
      sums[cell] += cells_[slot * cells_per_series_ + cell].load(std::memory_order_relaxed);
    }
  }
}

ShardedSeries::ShardedSeries(std::size_t shards, std::size_t max_series,
                             std::size_t cells_per_series)
    : cells_per_series_(cells_per_series) {
  shards_.reserve(shards);
  for (std::size_t i = 0; i < shards; ++i) {
    shards_.push_back(std::make_unique<Shard>(max_series, cells_per_series));
  }
}

std::map<SeriesKey, std::vector<std::uint64_t>> ShardedSeries::Merge() const {
  std::map<SeriesKey, std::vector<std::uint64_t>> totals;
  for (const std::unique_ptr<Shard>& shard : shards_) shard->MergeInto(totals);
  // Every shard holds the overflow series from the start; show it only once something overflowed.
  const auto overflow = totals.find(kOverflowKey);
  if (overflow != totals.end() && std::all_of(overflow->second.begin(), overflow->second.end(),
                                              [](std::uint64_t cell) { return cell == 0; })) {
    totals.erase(overflow);
  }
  return totals;
}

}  // namespace switchyard::telemetry::metrics

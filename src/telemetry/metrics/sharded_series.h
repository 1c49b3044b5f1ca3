// ShardedSeries: per-worker cells of uint64 counts keyed by SeriesKey, summed on scrape. The hot
// path takes no lock and does no atomic read-modify-write: each worker owns a shard, and only that
// worker ever writes the shard's memory.
//
// Why that is race-free under the C++ memory model: every cell and key slot is a
// std::atomic<uint64_t>, so the scraper's concurrent loads are never a data race (a race needs a
// non-atomic access). A cell has a single writer, the owner, which increments with a relaxed load
// and a relaxed store; by coherence the owner's load returns its own latest store (no other thread
// stores there), so no increment is lost, and the scraper's relaxed loads return some value the
// cell held, never decreasing between scrapes. What a scrape may see is one call half-counted
// (a bucket but not yet its sum): each cell is exact, the tuple of cells is not a snapshot. On
// x86-64 and AArch64 these relaxed loads and stores are plain moves.
//
// A key slot is written once, by the owner, with a release store; the scraper loads it with
// acquire. The cells are zeroed in the constructor, which must happen-before the workers and the
// scraper start (construct it before starting them).
//
// Bounded: a shard holds at most `max_series` series plus kOverflowKey, which takes every
// observation of a new key once the shard is full. The keys themselves are bounded by the product
// of the LabelCaps' capacities, so a shard's series are min(max_series, that product) + 1, and the
// memory is fixed at construction: shards * bit_ceil(2 * (max_series + 1)) * (cells + 1) * 8 bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "telemetry/metrics/series_key.h"

namespace switchyard::telemetry::metrics {

class ShardedSeries {
 public:
  // One worker's cells. Not movable: the slots stay where the scraper reads them.
  class alignas(64) Shard {
   public:
    Shard(std::size_t max_series, std::size_t cells_per_series);
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;

    // Adds `amount` to cell `cell` of series `key`. Only the shard's owner thread may call it.
    void Add(SeriesKey key, std::size_t cell, std::uint64_t amount) {
      Bump(CellsOf(key)[cell], amount);
    }
    // The cells of series `key`, created if there is room, else those of kOverflowKey. Owner only.
    std::atomic<std::uint64_t>* CellsOf(SeriesKey key);

    // Single-writer increment: see the file comment for why a load and a store suffice.
    static void Bump(std::atomic<std::uint64_t>& cell, std::uint64_t amount) {
      cell.store(cell.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
    }

    // Adds this shard's cells into `totals`, by key. Any thread.
    void MergeInto(std::map<SeriesKey, std::vector<std::uint64_t>>& totals) const;

   private:
    std::size_t SlotOf(SeriesKey key) const;

    std::size_t cells_per_series_;
    std::size_t mask_;
    std::size_t max_series_;
    std::size_t used_ = 0;  // series created, kOverflowKey not counted; owner only
    std::unique_ptr<std::atomic<SeriesKey>[]> keys_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> cells_;  // cells_per_series_ per slot
  };

  ShardedSeries(std::size_t shards, std::size_t max_series, std::size_t cells_per_series);

  // The shard of worker `worker` (< shards()); each worker must use only its own.
  Shard& shard(std::size_t worker) { return *shards_[worker]; }
  std::size_t shards() const { return shards_.size(); }
  std::size_t cells_per_series() const { return cells_per_series_; }

  // Every series' cells summed over the shards, in key order (so a scrape's text is stable).
  // kOverflowKey is left out while it is all zeros.
  std::map<SeriesKey, std::vector<std::uint64_t>> Merge() const;

 private:
  std::size_t cells_per_series_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace switchyard::telemetry::metrics

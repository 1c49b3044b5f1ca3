// BruteForcePartition: the vectors of one semantic partition, in one contiguous float array (a row
// per entry), searched exactly by a dot product with every row. It is also the store of record when
// the partition is searched through an HNSW graph (partition.h): the graph's labels are these rows,
// and what the graph proposes is re-checked here, exactly.
//
// Rows are reused: a dropped entry's row goes on a free list and the next Put takes it, so row
// numbers stay stable while entries come and go (the graph relies on that). CompactIfSparse
// renumbers them when more than half are free, to give the memory back.
//
// Not thread-safe: its owner (VectorIndex, through Partition) holds the partition's lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "cache/digest.h"
#include "cache/semantic/match.h"

namespace switchyard::cache::semantic {

class BruteForcePartition {
 public:
  // REQUIRES: 0 < dims <= kMaxDimensions.
  explicit BruteForcePartition(std::size_t dims);

  struct Stored {
    std::uint32_t row = 0;
    std::optional<std::uint64_t> replaced_seq;  // the seq of the vector `entry` had before, if any
  };
  // Stores `unit` (dims() floats, unit length) as `entry`'s vector, replacing any it had, with the
  // caller's sequence number `seq` (what the index's eviction order knows the vector by).
  Stored Put(const Digest& entry, std::span<const float> unit, std::int64_t expires_ms,
             std::uint64_t seq);

  struct Dropped {
    std::uint32_t row = 0;
    std::uint64_t seq = 0;
  };
  // Drops `entry`'s vector — only if its seq is `only_seq`, when that is given (an eviction must not
  // drop a newer vector put since it chose its victim). nullopt when nothing was dropped.
  std::optional<Dropped> Drop(const Digest& entry, std::optional<std::uint64_t> only_seq);

  // The most similar vector unexpired at `now_ms` (expires_ms > now_ms) with similarity >=
  // threshold; among equals, the lowest row. `unit` has dims() floats.
  std::optional<Match> Nearest(std::span<const float> unit, float threshold,
                               std::int64_t now_ms) const;

  // When more than half the rows are free (and there are more than a few), renumbers the live rows
  // densely and frees the rest. True when rows were renumbered: row numbers held elsewhere are void.
  bool CompactIfSparse();

  // Row access, for the graph's build and its candidates' re-check. REQUIRES: row < rows().
  bool live(std::uint32_t row) const { return meta_[row].live; }
  const float* vector(std::uint32_t row) const { return &values_[std::size_t{row} * dims_]; }
  std::int64_t expires_ms(std::uint32_t row) const { return meta_[row].expires_ms; }
  const Digest& entry(std::uint32_t row) const { return meta_[row].entry; }

  std::size_t dims() const { return dims_; }
  std::size_t size() const { return rows_by_entry_.size(); }  // live vectors
  std::size_t rows() const { return meta_.size(); }           // live and free
  std::size_t bytes() const;

 private:
  struct RowMeta {
    Digest entry;
    std::int64_t expires_ms = 0;
    std::uint64_t seq = 0;
    bool live = false;
  };
  std::uint32_t TakeRow();

  std::size_t dims_;
  std::vector<float> values_;  // rows() * dims_, row-major
  std::vector<RowMeta> meta_;  // one per row
  std::vector<std::uint32_t> free_rows_;
  std::unordered_map<Digest, std::uint32_t, DigestHash> rows_by_entry_;
};

}  // namespace switchyard::cache::semantic

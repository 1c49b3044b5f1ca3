#include "cache/semantic/brute_force_partition.h"

#include <algorithm>

#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

// Below this many rows a partition is never compacted: the memory is small and compaction would
// churn row numbers for nothing.
constexpr std::size_t kCompactFromRows = 64;

}  // namespace

BruteForcePartition::BruteForcePartition(std::size_t dims) : dims_(dims) {}

std::uint32_t BruteForcePartition::TakeRow() {
  if (!free_rows_.empty()) {
    const std::uint32_t row = free_rows_.back();
    free_rows_.pop_back();
    return row;
  }
  meta_.emplace_back();
  values_.resize(values_.size() + dims_);
  return static_cast<std::uint32_t>(meta_.size() - 1);
}

BruteForcePartition::Stored BruteForcePartition::Put(const Digest& entry,
                                                     std::span<const float> unit,
                                                     std::int64_t expires_ms, std::uint64_t seq) {
  Stored stored;
  auto found = rows_by_entry_.find(entry);
  if (found != rows_by_entry_.end()) {
    stored.row = found->second;
    stored.replaced_seq = meta_[stored.row].seq;
  } else {
    stored.row = TakeRow();
    rows_by_entry_.emplace(entry, stored.row);
  }
  std::copy(unit.begin(), unit.end(), values_.begin() + std::size_t{stored.row} * dims_);
  meta_[stored.row] = RowMeta{.entry = entry, .expires_ms = expires_ms, .seq = seq, .live = true};
  return stored;
}

std::optional<BruteForcePartition::Dropped> BruteForcePartition::Drop(
    const Digest& entry, std::optional<std::uint64_t> only_seq) {
  auto found = rows_by_entry_.find(entry);
  if (found == rows_by_entry_.end()) return std::nullopt;
  const std::uint32_t row = found->second;
  if (only_seq && meta_[row].seq != *only_seq) return std::nullopt;
  const Dropped dropped{.row = row, .seq = meta_[row].seq};
  rows_by_entry_.erase(found);
  meta_[row].live = false;
  free_rows_.push_back(row);
  return dropped;
}

std::optional<Match> BruteForcePartition::Nearest(std::span<const float> unit, float threshold,
                                                  std::int64_t now_ms) const {
  std::optional<Match> best;
  for (std::size_t row = 0; row < meta_.size(); ++row) {
    const RowMeta& meta = meta_[row];
    if (!meta.live || meta.expires_ms <= now_ms) continue;
    const float similarity = Dot(unit.data(), &values_[row * dims_], dims_);
    if (similarity >= threshold && (!best || similarity > best->similarity)) {
      best = Match{.entry = meta.entry, .similarity = similarity};
    }
  }
  return best;
}

bool BruteForcePartition::CompactIfSparse() {
  if (meta_.size() < kCompactFromRows || free_rows_.size() * 2 <= meta_.size()) return false;
  std::uint32_t next = 0;
  for (std::uint32_t row = 0; row < meta_.size(); ++row) {
    if (!meta_[row].live) continue;
    if (row != next) {
      std::copy_n(&values_[std::size_t{row} * dims_], dims_, &values_[std::size_t{next} * dims_]);
      meta_[next] = meta_[row];
      rows_by_entry_[meta_[next].entry] = next;
    }
    ++next;
  }
  meta_.resize(next);
  meta_.shrink_to_fit();
  values_.resize(std::size_t{next} * dims_);
  values_.shrink_to_fit();
  free_rows_.clear();
  free_rows_.shrink_to_fit();
  return true;
}

std::size_t BruteForcePartition::bytes() const {
  // The map's node and bucket: a key, a row, a hash and two pointers, roughly.
  constexpr std::size_t kMapEntryBytes = sizeof(Digest) + 4 + 8 + 2 * sizeof(void*);
  return sizeof(*this) + values_.capacity() * sizeof(float) + meta_.capacity() * sizeof(RowMeta) +
         free_rows_.capacity() * sizeof(std::uint32_t) + rows_by_entry_.size() * kMapEntryBytes;
}

}  // namespace switchyard::cache::semantic

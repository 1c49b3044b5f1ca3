#include "cache/semantic/vector_index.h"

#include <algorithm>
#include <limits>
#include <mutex>

#include "cache/semantic/hnsw_graph.h"
#include "cache/semantic/partition.h"
#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

// Rows are numbered in 32 bits (BruteForcePartition, hnswlib's labels): far more than any memory
// here holds at 256 dimensions, and the bound keeps a row number from wrapping.
constexpr std::size_t kMostVectors = std::size_t{1} << 30;

// Rough sizes of the registry's nodes: a red-black node (three pointers and a colour) or a hash
// node, with its key and value.
constexpr std::size_t kTreeNodeBytes = 4 * sizeof(void*);
constexpr std::size_t kHashNodeBytes = 3 * sizeof(void*);

IndexLimits Bounded(IndexLimits limits) {
  limits.max_vectors = std::min(limits.max_vectors, kMostVectors);
  return limits;
}

}  // namespace

struct VectorIndex::Shard {
  Shard(std::size_t dims, std::size_t hnsw_from) : partition(dims, hnsw_from) {}
  std::shared_mutex mutex;
  Partition partition;   // GUARDED_BY(mutex)
  bool retired = false;  // GUARDED_BY(mutex); emptied and taken out of the map: look it up again
};

VectorIndex::VectorIndex(IndexLimits limits)
    : limits_(Bounded(limits)), present_ms_(std::numeric_limits<std::int64_t>::min()) {}

VectorIndex::~VectorIndex() = default;

std::shared_ptr<VectorIndex::Shard> VectorIndex::FindShard(const Digest& partition) const {
  std::shared_lock lock(registry_mutex_);
  auto found = shards_.find(partition);
  return found == shards_.end() ? nullptr : found->second;
}

std::shared_ptr<VectorIndex::Shard> VectorIndex::FindOrMakeShard(const Digest& partition,
                                                                 std::size_t dims) {
  if (std::shared_ptr<Shard> shard = FindShard(partition)) return shard;
  std::unique_lock lock(registry_mutex_);
  std::shared_ptr<Shard>& shard = shards_[partition];
  if (shard == nullptr) shard = std::make_shared<Shard>(dims, limits_.hnsw_from);
  return shard;
}

bool VectorIndex::Add(const Digest& partition, const Digest& entry, std::span<const float> vector,
                      std::int64_t expires_ms) {
  std::vector<float> unit;
  if (!Normalise(vector, unit)) return false;
  std::shared_ptr<Shard> shard;
  bool wants_graph = false;
  for (;;) {
    shard = FindOrMakeShard(partition, unit.size());
    std::unique_lock lock(shard->mutex);
    if (shard->retired) continue;  // emptied and dropped since it was found: find or make anew
    if (shard->partition.dims() != unit.size()) return false;
    const std::uint64_t seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
    const std::optional<std::uint64_t> replaced =
        shard->partition.Put(entry, unit, expires_ms, seq);
    Registered(Location{.partition = partition, .entry = entry, .expires_ms = expires_ms}, seq,
               replaced);
    wants_graph = shard->partition.wants_graph();
    break;
  }
  DropVictims(TakeVictims());
  if (wants_graph) BuildGraph(*shard);
  return true;
}

void VectorIndex::BuildGraph(Shard& shard) {
  std::optional<Partition::GraphSource> source;
  {
    std::unique_lock lock(shard.mutex);
    if (shard.retired) return;
    source = shard.partition.BeginGraph();
  }
  if (!source) return;  // another Add is building it, or it is no longer wanted
  // The long part, with no lock held: lookups and adds go on, by brute force.
  std::unique_ptr<HnswGraph> graph = Partition::BuildGraph(*source);
  source.reset();
  std::unique_lock lock(shard.mutex);
  shard.partition.FinishGraph(std::move(graph));  // on a retired shard too: it ends the build
}

void VectorIndex::Registered(const Location& location, std::uint64_t seq,
                             std::optional<std::uint64_t> replaced_seq) {
  std::unique_lock lock(registry_mutex_);
  if (replaced_seq) {
    // Absent when an eviction took it out already and has yet to reach the shard: it will find
    // the seq changed and drop nothing.
    auto found = by_seq_.find(*replaced_seq);
    if (found != by_seq_.end()) {
      by_expiry_.erase({found->second.expires_ms, found->first});
      by_seq_.erase(found);
    }
  }
  by_seq_.emplace(seq, location);
  by_expiry_.emplace(location.expires_ms, seq);
}

void VectorIndex::Unregistered(std::uint64_t seq) {
  std::unique_lock lock(registry_mutex_);
  auto found = by_seq_.find(seq);
  if (found == by_seq_.end()) return;  // an eviction is on its way with it
  by_expiry_.erase({found->second.expires_ms, seq});
  by_seq_.erase(found);
}

std::vector<VectorIndex::Victim> VectorIndex::TakeVictims() {
  const std::int64_t present = present_ms_.load(std::memory_order_relaxed);
  std::vector<Victim> victims;
  std::unique_lock lock(registry_mutex_);
  auto take = [&](std::map<std::uint64_t, Location>::iterator it) {
    victims.push_back(Victim{.location = it->second, .seq = it->first});
    by_expiry_.erase({it->second.expires_ms, it->first});
    by_seq_.erase(it);
  };
  // Each vector is reclaimed once, so however many expire together, the work is paid for by the
  // Adds that stored them.
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= present) {
    take(by_seq_.find(by_expiry_.begin()->second));
  }
  while (by_seq_.size() > limits_.max_vectors) take(by_seq_.begin());
  return victims;
}

void VectorIndex::DropVictims(const std::vector<Victim>& victims) {
  for (const Victim& victim : victims) {
    const std::shared_ptr<Shard> shard = FindShard(victim.location.partition);
    if (shard == nullptr) continue;
    std::unique_lock lock(shard->mutex);
    if (shard->retired) continue;
    // Only this very vector: the entry may have been replaced since it was chosen.
    if (shard->partition.Drop(victim.location.entry, victim.seq)) {
      RetireIfEmpty(victim.location.partition, *shard);
    }
  }
}

void VectorIndex::RetireIfEmpty(const Digest& partition, Shard& shard) {
  if (shard.partition.size() > 0) return;
  std::unique_lock lock(registry_mutex_);
  auto found = shards_.find(partition);
  if (found != shards_.end() && found->second.get() == &shard) shards_.erase(found);
  shard.retired = true;
}

std::optional<Match> VectorIndex::Nearest(const Digest& partition, std::span<const float> vector,
                                          float threshold, std::int64_t now_ms) const {
  std::int64_t seen = present_ms_.load(std::memory_order_relaxed);
  while (now_ms > seen && !present_ms_.compare_exchange_weak(seen, now_ms)) {
  }
  std::vector<float> unit;
  if (!Normalise(vector, unit)) return std::nullopt;
  const std::shared_ptr<Shard> shard = FindShard(partition);
  if (shard == nullptr) return std::nullopt;
  std::shared_lock lock(shard->mutex);
  if (shard->retired || shard->partition.dims() != unit.size()) return std::nullopt;
  return shard->partition.Nearest(unit, threshold, now_ms);
}

void VectorIndex::Remove(const Digest& partition, const Digest& entry) {
  const std::shared_ptr<Shard> shard = FindShard(partition);
  if (shard == nullptr) return;
  std::unique_lock lock(shard->mutex);
  if (shard->retired) return;
  const std::optional<std::uint64_t> dropped = shard->partition.Drop(entry, std::nullopt);
  if (!dropped) return;
  Unregistered(*dropped);
  RetireIfEmpty(partition, *shard);
}

IndexStats VectorIndex::stats() const {
  std::vector<std::shared_ptr<Shard>> shards;
  IndexStats stats;
  {
    std::shared_lock lock(registry_mutex_);
    shards.reserve(shards_.size());
    for (const auto& [digest, shard] : shards_) shards.push_back(shard);
    stats.vectors = static_cast<std::int64_t>(by_seq_.size());
    const std::size_t registry =
        sizeof(*this) +
        by_seq_.size() * (kTreeNodeBytes + sizeof(std::uint64_t) + sizeof(Location)) +
        by_expiry_.size() * (kTreeNodeBytes + 2 * sizeof(std::int64_t)) +
        shards_.bucket_count() * sizeof(void*) +
        shards_.size() * (kHashNodeBytes + sizeof(Digest) + sizeof(std::shared_ptr<Shard>));
    stats.bytes = static_cast<std::int64_t>(registry);
  }
  // Each shard's lock is taken with the registry's released: the lock order is shard first.
  for (const std::shared_ptr<Shard>& shard : shards) {
    std::shared_lock lock(shard->mutex);
    if (shard->retired) continue;
    stats.partitions += 1;
    stats.bytes += static_cast<std::int64_t>(sizeof(Shard) + shard->partition.bytes());
    if (shard->partition.uses_hnsw()) stats.hnsw_partitions += 1;
  }
  return stats;
}

}  // namespace switchyard::cache::semantic

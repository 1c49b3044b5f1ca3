// VectorIndex: the semantic cache's memory of which entry answered which question — a unit vector
// per cache entry, kept per partition (a match never crosses partitions: another model, other
// parameters), searched for the nearest unexpired vector above a similarity threshold.
//
// A partition below IndexLimits::hnsw_from vectors is searched by brute force (a contiguous array
// and a dot product per row: exact, and quickest while small); one that reaches it gets an HNSW
// graph (hnswlib), whose proposals are re-checked exactly, so an answer always passes the threshold
// and is unexpired; what the graph can cost is recall — rarely, a nearer vector than the one found,
// or a miss where brute force would hit (bench/semantic_eval.cc measures it).
//
// Bounded: at most max_vectors over all partitions; past that the oldest-added vector goes (a
// replaced vector counts as added anew). Expired vectors are skipped by Nearest and reclaimed by a
// later Add: the index takes the latest now_ms any Nearest was given as the present for that (time
// does not run backwards), and drops every vector that expired by then.
//
// Thread-safety: every method may be called from any thread at once. Each partition has its own
// shared_mutex (Nearest shares it; Add and Remove hold it alone, briefly); a registry mutex, held
// for map operations only, guards the partition map and the eviction and expiry orders. Lock
// order: a partition's lock, then the registry's, never the other way.
//
// Cost: Nearest and Remove are quick (bench/semantic_eval.cc). An Add to a partition with a graph
// also inserts into the graph (0.1-0.9 ms at 1k-100k vectors of 256 dimensions), and the Add that
// brings a partition to hnsw_from builds its graph, on the calling thread, with no lock held that
// others wait on (about 0.1 ms per vector: ~0.4 s at 4,096). So a caller on an I/O thread should
// hand Add to a worker; Nearest is fine inline.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cache/digest.h"
#include "cache/semantic/match.h"

namespace switchyard::cache::semantic {

class Partition;

struct IndexLimits {
  std::size_t max_vectors = 100000;  // over all partitions; past it the oldest-added vector goes
  // A partition with this many vectors moves to an HNSW graph (0: never). 4096, where the graph
  // stops losing (bench/semantic_eval.cc, 256 dims, 2 cores, µs per lookup, brute force / graph):
  // 2,048 vectors 44 / 55-70, 4,096 88-110 / 70-90, 8,192 180 / 85-110, 100,000 4,400 / 650. Below
  // it brute force is as quick or quicker, exact, 6-75x cheaper to add to and half the memory.
  std::size_t hnsw_from = 4096;
};

struct IndexStats {
  std::int64_t partitions = 0;
  std::int64_t vectors = 0;
  std::int64_t bytes = 0;  // vectors, graphs and bookkeeping, estimated
  std::int64_t hnsw_partitions = 0;
};

class VectorIndex {
 public:
  explicit VectorIndex(IndexLimits limits);
  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  // Adds (or replaces) `entry`'s vector in `partition`, to be dropped at expires_ms (unix ms, or
  // any clock the caller's now_ms uses). The vector is stored unit length (scaled here if not).
  // False, storing nothing, when the vector is empty, longer than kMaxDimensions, zero or not
  // finite, or of another dimension than the partition's vectors (the embedding model changed).
  // Taking a vector the index already holds is harmless (a shared store announces to all).
  bool Add(const Digest& partition, const Digest& entry, std::span<const float> vector,
           std::int64_t expires_ms);

  // The most similar vector of `partition` unexpired at now_ms (expires_ms > now_ms) whose cosine
  // similarity to `vector` is >= threshold; nullopt when there is none, or when `vector` is not a
  // vector Add would take, or is of another dimension.
  std::optional<Match> Nearest(const Digest& partition, std::span<const float> vector,
                               float threshold, std::int64_t now_ms) const;

  // Drops `entry`'s vector from `partition` (the entry was found gone from the store). No-op when
  // it has none.
  void Remove(const Digest& partition, const Digest& entry);

  IndexStats stats() const;

 private:
  struct Shard;
  struct Location {
    Digest partition;
    Digest entry;
    std::int64_t expires_ms = 0;
  };
  struct Victim {
    Location location;
    std::uint64_t seq = 0;
  };

  std::shared_ptr<Shard> FindShard(const Digest& partition) const;
  std::shared_ptr<Shard> FindOrMakeShard(const Digest& partition, std::size_t dims);
  // Under the shard's lock: the index's orders learn what the shard did.
  void Registered(const Location& location, std::uint64_t seq,
                  std::optional<std::uint64_t> replaced_seq);
  void Unregistered(std::uint64_t seq);
  // Builds the graph `shard`'s partition wants (partition.h: the three steps), outside its lock.
  void BuildGraph(Shard& shard);
  // Under the shard's lock: drops the shard from the map when it is empty.
  void RetireIfEmpty(const Digest& partition, Shard& shard);
  // Expired vectors and those past max_vectors, taken out of the orders, to be dropped.
  std::vector<Victim> TakeVictims();
  void DropVictims(const std::vector<Victim>& victims);

  const IndexLimits limits_;
  std::atomic<std::uint64_t> next_seq_{1};
  // The latest now_ms seen by Nearest: the present, when expired vectors are reclaimed.
  mutable std::atomic<std::int64_t> present_ms_;

  mutable std::shared_mutex registry_mutex_;
  // GUARDED_BY(registry_mutex_)
  std::unordered_map<Digest, std::shared_ptr<Shard>, DigestHash> shards_;
  // Every stored vector by its seq (oldest-added first), and by (expires_ms, seq); both
  // GUARDED_BY(registry_mutex_). A vector chosen for eviction leaves these before its shard.
  std::map<std::uint64_t, Location> by_seq_;
  std::set<std::pair<std::int64_t, std::uint64_t>> by_expiry_;
};

}  // namespace switchyard::cache::semantic

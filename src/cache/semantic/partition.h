// Partition: one semantic partition's vectors (entries that may match one another: same model,
// same parameters — semantic_partition.h), searched by brute force while small and through an HNSW
// graph once large. The BruteForcePartition is always the store of record; the graph is an index
// over its rows, built once the partition has `hnsw_from` vectors, kept in step with every Put and
// Drop, and dropped again when the partition falls below half of that (the gap keeps a partition
// near the line from building and dropping a graph over and over). Whatever the graph proposes is
// re-checked exactly, so both ways answer within the same threshold semantics.
//
// A graph is built without the partition's lock held (it takes ~0.1-0.9 ms per vector: seconds
// for a large partition), so that lookups and adds go on meanwhile, answered by brute force:
//   1. BeginGraph (exclusive lock): compacts the rows if sparse, copies the live ones out, and from
//      then on logs every row put or dropped;
//   2. BuildGraph (no lock): the graph over the copy;
//   3. FinishGraph (exclusive lock): replays the log onto the graph and installs it.
//
// Not thread-safe: VectorIndex holds the partition's shared_mutex — shared for Nearest, exclusive
// for everything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cache/digest.h"
#include "cache/semantic/brute_force_partition.h"
#include "cache/semantic/hnsw_graph.h"
#include "cache/semantic/match.h"

namespace switchyard::cache::semantic {

class Partition {
 public:
  // REQUIRES: 0 < dims <= kMaxDimensions. hnsw_from == 0: never build a graph.
  Partition(std::size_t dims, std::size_t hnsw_from);

  // Stores `unit` (dims() floats, unit length) as `entry`'s vector with the index's sequence
  // number `seq`; returns the seq of the vector it replaced, if any.
  std::optional<std::uint64_t> Put(const Digest& entry, std::span<const float> unit,
                                   std::int64_t expires_ms, std::uint64_t seq);
  // Drops `entry`'s vector (only if its seq is `only_seq`, when given); returns the seq dropped.
  std::optional<std::uint64_t> Drop(const Digest& entry, std::optional<std::uint64_t> only_seq);

  // The most similar vector unexpired at now_ms with similarity >= threshold; nullopt when none.
  // Through the graph this is approximate in which vector is found (see vector_index.h), exact in
  // that whatever is returned passes the threshold and is unexpired.
  std::optional<Match> Nearest(std::span<const float> unit, float threshold,
                               std::int64_t now_ms) const;

  // True when a graph should be built now (none, none being built, and enough vectors).
  bool wants_graph() const;
  struct GraphSource {
    std::size_t dims = 0;
    std::size_t capacity = 0;
    std::vector<std::uint32_t> rows;
    std::vector<float> vectors;  // rows.size() * dims
  };
  // Step 1. nullopt when no graph is wanted (any more).
  std::optional<GraphSource> BeginGraph();
  // Step 2: the graph over `source`, or nullptr when hnswlib failed. Needs no lock.
  static std::unique_ptr<HnswGraph> BuildGraph(const GraphSource& source);
  // Step 3, with what step 2 gave: installs it (or, if the partition no longer wants one, or the
  // graph failed, stays brute force and tries again after doubling).
  void FinishGraph(std::unique_ptr<HnswGraph> graph);

  std::size_t dims() const { return store_.dims(); }
  std::size_t size() const { return store_.size(); }
  bool uses_hnsw() const { return graph_ != nullptr; }
  std::size_t bytes() const;

 private:
  struct LoggedRow {
    std::uint32_t row = 0;
    bool put = false;  // false: dropped
  };
  void DropGraph(std::size_t retry_at);
  std::optional<Match> NearestThroughGraph(std::span<const float> unit, float threshold,
                                           std::int64_t now_ms) const;

  std::size_t hnsw_from_;
  // A graph is wanted from this many vectors: hnsw_from_ at first; half of it when a graph was
  // dropped only to renumber rows; twice the size when hnswlib failed (out of memory, say).
  std::size_t graph_from_;
  BruteForcePartition store_;
  std::unique_ptr<HnswGraph> graph_;  // null: brute force
  bool building_ = false;             // between BeginGraph and FinishGraph
  std::vector<LoggedRow> log_;        // rows put or dropped while building_
};

}  // namespace switchyard::cache::semantic

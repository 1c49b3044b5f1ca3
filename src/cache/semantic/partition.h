// Partition: one semantic partition's vectors (entries that may match one another: same model,
// same parameters — semantic_partition.h), searched by brute force while small and through an HNSW
// graph once large. The BruteForcePartition is always the store of record; the graph is an index
// over its rows that is built when the partition reaches `hnsw_from` vectors, kept in step with
// every Put and Drop, and dropped again when the partition falls below half of that (the gap keeps
// a partition near the line from building and dropping a graph over and over). Whatever the graph
// proposes is re-checked exactly, so both ways answer within the same threshold semantics.
//
// Not thread-safe: VectorIndex holds the partition's shared_mutex — shared for Nearest, exclusive
// for Put and Drop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

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

  std::size_t dims() const { return store_.dims(); }
  std::size_t size() const { return store_.size(); }
  bool uses_hnsw() const { return graph_ != nullptr; }
  std::size_t bytes() const;

 private:
  void BuildGraph();
  void DropGraph();
  std::optional<Match> NearestThroughGraph(std::span<const float> unit, float threshold,
                                           std::int64_t now_ms) const;

  std::size_t hnsw_from_;
  // Not before this many vectors: a graph that could not be built (no memory) or went wrong is
  // tried again only once the partition has doubled.
  std::size_t next_graph_at_;
  BruteForcePartition store_;
  std::unique_ptr<HnswGraph> graph_;  // null: brute force
};

}  // namespace switchyard::cache::semantic

// HnswGraph: an approximate nearest-neighbour graph (hnswlib's HNSW, inner-product space) over the
// rows of one BruteForcePartition — a label is a row number. It only proposes candidates: the
// partition re-checks each one exactly (similarity, threshold, expiry) against its own rows, so a
// stale or approximate answer from the graph can cost recall, never a wrong match.
//
// hnswlib throws (std::runtime_error, std::bad_alloc); none of it escapes: every operation that
// fails says so, and the partition then drops the graph and searches by brute force.
//
// Thread-safety: Candidates may run on many threads at once (hnswlib's search is const, and its
// visited-list pool has its own mutex); Put and MarkGone need the caller's exclusive lock, as
// hnswlib's search does not lock against inserts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace switchyard::cache::semantic {

// The graph's shape. M and ef_construction are hnswlib's usual defaults. ef, the search's beam, from
// bench/semantic_eval.cc at 100,000 vectors: on vectors with structure (latent-32, like text
// embeddings) every ef from 16 finds a stored vector moved to similarity 0.85 (recall 1.000), and
// 64 finds the true nearest of an unrelated query 92% of the time; on structureless random
// vectors, the worst case, 64 finds the 0.85 one 82% of the time (128: 92%, at twice the cost).
struct HnswParams {
  std::size_t m = 16;
  std::size_t ef_construction = 100;
  std::size_t ef = 64;
  std::size_t seed = 100;  // hnswlib's level generator: fixed, so a graph is the same run to run
};

class HnswGraph {
 public:
  // A graph for vectors of `dims` floats with room for `capacity` rows (it grows past that).
  // nullptr when hnswlib cannot allocate it.
  static std::unique_ptr<HnswGraph> Make(std::size_t dims, std::size_t capacity,
                                         HnswParams params = {});
  ~HnswGraph();
  HnswGraph(const HnswGraph&) = delete;
  HnswGraph& operator=(const HnswGraph&) = delete;

  // Adds row `row` with vector `unit` (dims floats), or replaces the vector of a row the graph
  // has (live or marked gone). False when hnswlib failed: the graph is then not to be trusted.
  bool Put(std::uint32_t row, const float* unit);
  // Marks `row` gone: searches no longer return it, and a later Put of the row reuses its node.
  // False when hnswlib failed (the row was never put, or is gone already).
  bool MarkGone(std::uint32_t row);

  // Up to `k` rows proposed as the nearest to `unit`, nearest first (by hnswlib's own distance).
  // nullopt when hnswlib failed.
  std::optional<std::vector<std::uint32_t>> Candidates(const float* unit, std::size_t k) const;

  // The search's beam (HnswParams::ef), for bench/semantic_eval.cc's sweep. REQUIRES: no
  // Candidates running (the caller's exclusive lock).
  void set_ef(std::size_t ef);

  std::size_t bytes() const;

 private:
  struct Impl;
  explicit HnswGraph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::cache::semantic

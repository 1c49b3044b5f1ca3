#include "cache/semantic/partition.h"

#include <algorithm>

#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

// How many candidates a graph search asks for first. Several, not one: hnswlib ranks by its own
// (SIMD) dot product, and an expired vector among them is skipped, not counted as the answer.
constexpr std::size_t kFirstCandidates = 8;
// Each time every candidate was expired, the next search asks for this many times more.
constexpr std::size_t kCandidateGrowth = 4;

}  // namespace

Partition::Partition(std::size_t dims, std::size_t hnsw_from)
    : hnsw_from_(hnsw_from), next_graph_at_(hnsw_from), store_(dims) {}

std::optional<std::uint64_t> Partition::Put(const Digest& entry, std::span<const float> unit,
                                            std::int64_t expires_ms, std::uint64_t seq) {
  const BruteForcePartition::Stored stored = store_.Put(entry, unit, expires_ms, seq);
  if (graph_ != nullptr) {
    if (!graph_->Put(stored.row, unit.data())) DropGraph();
  } else if (hnsw_from_ > 0 && store_.size() >= std::max(hnsw_from_, next_graph_at_)) {
    BuildGraph();
  }
  return stored.replaced_seq;
}

std::optional<std::uint64_t> Partition::Drop(const Digest& entry,
                                             std::optional<std::uint64_t> only_seq) {
  const std::optional<BruteForcePartition::Dropped> dropped = store_.Drop(entry, only_seq);
  if (!dropped) return std::nullopt;
  if (graph_ != nullptr && !graph_->MarkGone(dropped->row)) DropGraph();
  if (graph_ != nullptr && store_.size() < hnsw_from_ / 2) {
    graph_.reset();  // small again: brute force, and the graph's memory back
    next_graph_at_ = hnsw_from_;
  }
  // Compaction renumbers rows, and the graph's labels are rows: a graph is rebuilt over the new
  // ones. Amortised, that is cheap: compaction needs as many drops as there are vectors left.
  if (store_.CompactIfSparse() && graph_ != nullptr) BuildGraph();
  return dropped->seq;
}

void Partition::BuildGraph() {
  graph_ = HnswGraph::Make(store_.dims(), store_.rows() * 2);
  if (graph_ == nullptr) {
    DropGraph();
    return;
  }
  for (std::uint32_t row = 0; row < store_.rows(); ++row) {
    if (!store_.live(row)) continue;
    if (!graph_->Put(row, store_.vector(row))) {
      DropGraph();
      return;
    }
  }
  // Rows that are free now (not live) were never put: a later Put that reuses one adds it anew.
}

void Partition::DropGraph() {
  graph_.reset();
  next_graph_at_ = std::max(hnsw_from_, store_.size() * 2);
}

std::optional<Match> Partition::Nearest(std::span<const float> unit, float threshold,
                                        std::int64_t now_ms) const {
  if (graph_ == nullptr) return store_.Nearest(unit, threshold, now_ms);
  return NearestThroughGraph(unit, threshold, now_ms);
}

std::optional<Match> Partition::NearestThroughGraph(std::span<const float> unit, float threshold,
                                                    std::int64_t now_ms) const {
  for (std::size_t k = kFirstCandidates;; k *= kCandidateGrowth) {
    const std::optional<std::vector<std::uint32_t>> rows = graph_->Candidates(unit.data(), k);
    if (!rows) return store_.Nearest(unit, threshold, now_ms);  // the graph failed: scan
    std::optional<Match> best;
    bool all_expired = true;
    for (const std::uint32_t row : *rows) {
      // A row is live here when the graph returns it (a freed row is marked gone in the graph),
      // but the re-check costs nothing and keeps a graph bug from becoming a wrong answer.
      if (row >= store_.rows() || !store_.live(row)) continue;
      if (store_.expires_ms(row) <= now_ms) continue;
      all_expired = false;
      const float similarity = Dot(unit.data(), store_.vector(row), store_.dims());
      if (similarity >= threshold && (!best || similarity > best->similarity)) {
        best = Match{.entry = store_.entry(row), .similarity = similarity};
      }
    }
    // An unexpired candidate that fails the threshold means the nearest does too (as far as the
    // graph can tell). Only when every candidate had expired is there more to look for.
    if (best || !all_expired || rows->size() < k || k >= store_.size()) return best;
  }
}

std::size_t Partition::bytes() const {
  return sizeof(*this) + store_.bytes() + (graph_ != nullptr ? graph_->bytes() : 0);
}

}  // namespace switchyard::cache::semantic

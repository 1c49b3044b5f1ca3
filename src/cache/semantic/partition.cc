#include "cache/semantic/partition.h"

#include <algorithm>

#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

// How many candidates a graph search asks for first. Several, not one: hnswlib ranks by its own
// dot product, and an expired vector among them is skipped, not counted as the answer. (hnswlib
// searches with a beam of max(ef, k) anyway, so asking for 8 costs nothing more than for 1.)
constexpr std::size_t kFirstCandidates = 8;
// Each time every candidate was expired, the next search asks for this many times more.
constexpr std::size_t kCandidateGrowth = 4;

}  // namespace

Partition::Partition(std::size_t dims, std::size_t hnsw_from)
    : hnsw_from_(hnsw_from), graph_from_(hnsw_from), store_(dims) {}

std::optional<std::uint64_t> Partition::Put(const Digest& entry, std::span<const float> unit,
                                            std::int64_t expires_ms, std::uint64_t seq) {
  const BruteForcePartition::Stored stored = store_.Put(entry, unit, expires_ms, seq);
  if (building_) log_.push_back(LoggedRow{.row = stored.row, .put = true});
  if (graph_ != nullptr && !graph_->Put(stored.row, unit.data())) DropGraph(store_.size() * 2);
  return stored.replaced_seq;
}

std::optional<std::uint64_t> Partition::Drop(const Digest& entry,
                                             std::optional<std::uint64_t> only_seq) {
  const std::optional<BruteForcePartition::Dropped> dropped = store_.Drop(entry, only_seq);
  if (!dropped) return std::nullopt;
  if (building_) log_.push_back(LoggedRow{.row = dropped->row, .put = false});
  // A failed MarkGone (the row was never in the graph) is harmless: candidates are re-checked.
  if (graph_ != nullptr) graph_->MarkGone(dropped->row);
  if (graph_ != nullptr && store_.size() < hnsw_from_ / 2) DropGraph(hnsw_from_);
  // Compaction renumbers rows, and the graph's labels are rows: it waits while a graph is being
  // built, and drops a graph it finds (brute force answers until the next is built, from half of
  // hnsw_from). Amortised, rebuilding is cheap: compaction needs as many drops as vectors are left.
  if (!building_ && store_.CompactIfSparse() && graph_ != nullptr) DropGraph(hnsw_from_ / 2);
  return dropped->seq;
}

void Partition::DropGraph(std::size_t retry_at) {
  graph_.reset();
  graph_from_ = std::max<std::size_t>(retry_at, 1);
}

bool Partition::wants_graph() const {
  return hnsw_from_ > 0 && graph_ == nullptr && !building_ && store_.size() >= graph_from_;
}

std::optional<Partition::GraphSource> Partition::BeginGraph() {
  if (!wants_graph()) return std::nullopt;
  store_.CompactIfSparse();
  GraphSource source{.dims = store_.dims(), .capacity = store_.rows() * 2, .rows = {},
                     .vectors = {}};
  source.rows.reserve(store_.size());
  source.vectors.reserve(store_.size() * store_.dims());
  for (std::uint32_t row = 0; row < store_.rows(); ++row) {
    if (!store_.live(row)) continue;
    source.rows.push_back(row);
    source.vectors.insert(source.vectors.end(), store_.vector(row),
                          store_.vector(row) + store_.dims());
  }
  building_ = true;
  log_.clear();
  return source;
}

std::unique_ptr<HnswGraph> Partition::BuildGraph(const GraphSource& source) {
  std::unique_ptr<HnswGraph> graph = HnswGraph::Make(source.dims, source.capacity);
  if (graph == nullptr) return nullptr;
  for (std::size_t i = 0; i < source.rows.size(); ++i) {
    if (!graph->Put(source.rows[i], &source.vectors[i * source.dims])) return nullptr;
  }
  return graph;
}

void Partition::FinishGraph(std::unique_ptr<HnswGraph> graph) {
  building_ = false;
  std::vector<LoggedRow> log = std::move(log_);
  log_.clear();
  if (graph == nullptr) {
    DropGraph(store_.size() * 2);
    return;
  }
  if (store_.size() < hnsw_from_ / 2) return;  // shrank meanwhile: stays brute force
  // What changed while the graph was built. A row put is put with the vector it has now (put
  // again if it changed twice: harmless); a row put and then dropped is marked gone after.
  for (const LoggedRow& logged : log) {
    if (logged.put) {
      if (store_.live(logged.row) && !graph->Put(logged.row, store_.vector(logged.row))) {
        DropGraph(store_.size() * 2);
        return;
      }
    } else {
      graph->MarkGone(logged.row);
    }
  }
  graph_ = std::move(graph);
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
  return sizeof(*this) + store_.bytes() + (graph_ != nullptr ? graph_->bytes() : 0) +
         log_.capacity() * sizeof(LoggedRow);
}

}  // namespace switchyard::cache::semantic

#include "cache/semantic/hnsw_graph.h"

// Without hnswlib's own SIMD: with USE_SSE its (0.6.2) searches prefetch through `*(list + j + 1)`,
// a real load one slot past a full neighbour list, which AddressSanitizer rightly reports as a
// heap overflow on the upper layers. The distance comes from UnitDotSpace below instead, which is
// as quick (vector_math's Dot is vectorised by the compiler).
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>

#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

// hnswlib's inner-product space (distance 1 - dot, smaller is nearer) over our own Dot.
class UnitDotSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit UnitDotSpace(std::size_t dims) : dims_(dims) {}
  std::size_t get_data_size() override { return dims_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &Distance; }
  void* get_dist_func_param() override { return &dims_; }

 private:
  static float Distance(const void* a, const void* b, const void* dims) {
    return 1.0f - Dot(static_cast<const float*>(a), static_cast<const float*>(b),
                      *static_cast<const std::size_t*>(dims));
  }
  std::size_t dims_;
};

}  // namespace

struct HnswGraph::Impl {
  Impl(std::size_t dims, std::size_t capacity, const HnswParams& params)
      : space(dims), graph(&space, capacity, params.m, params.ef_construction, params.seed) {
    graph.setEf(params.ef);
  }
  // The space outlives the graph, which keeps a pointer to its distance function's parameter.
  UnitDotSpace space;
  hnswlib::HierarchicalNSW<float> graph;
  std::size_t capacity() const { return graph.max_elements_; }
};

HnswGraph::HnswGraph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HnswGraph::~HnswGraph() = default;

std::unique_ptr<HnswGraph> HnswGraph::Make(std::size_t dims, std::size_t capacity,
                                           HnswParams params) {
  try {
    auto impl = std::make_unique<Impl>(dims, std::max<std::size_t>(capacity, 16), params);
    return std::unique_ptr<HnswGraph>(new HnswGraph(std::move(impl)));
  } catch (...) {
    return nullptr;
  }
}

bool HnswGraph::Put(std::uint32_t row, const float* unit) {
  try {
    // Rows are dense (BruteForcePartition hands out the lowest free or the next one), so the graph
    // grows by doubling when a new row passes its room.
    if (row >= impl_->capacity()) {
      impl_->graph.resizeIndex(std::max<std::size_t>(std::size_t{row} + 1, impl_->capacity() * 2));
    }
    impl_->graph.addPoint(unit, row);
    return true;
  } catch (...) {
    return false;
  }
}

bool HnswGraph::MarkGone(std::uint32_t row) {
  try {
    impl_->graph.markDelete(row);
    return true;
  } catch (...) {
    return false;
  }
}

std::optional<std::vector<std::uint32_t>> HnswGraph::Candidates(const float* unit,
                                                                std::size_t k) const {
  try {
    auto found = impl_->graph.searchKnn(unit, k);  // a max-heap on distance: the farthest on top
    std::vector<std::uint32_t> rows(found.size());
    for (std::size_t i = rows.size(); i > 0; --i) {
      rows[i - 1] = static_cast<std::uint32_t>(found.top().second);
      found.pop();
    }
    return rows;
  } catch (...) {
    return std::nullopt;
  }
}

void HnswGraph::set_ef(std::size_t ef) { impl_->graph.setEf(ef); }

std::size_t HnswGraph::bytes() const {
  const hnswlib::HierarchicalNSW<float>& graph = impl_->graph;
  // The base layer (links, vector and label per element), the upper layers' lists (about one
  // element in M has any), hnswlib's label map and per-element locks.
  const std::size_t base = graph.max_elements_ * graph.size_data_per_element_;
  const std::size_t upper = graph.cur_element_count / std::max<std::size_t>(graph.M_, 1) *
                            graph.size_links_per_element_;
  const std::size_t per_element = sizeof(std::mutex) + sizeof(int) + sizeof(char*);
  const std::size_t labels =
      graph.cur_element_count * (sizeof(std::size_t) + 4 + 3 * sizeof(void*));
  return sizeof(Impl) + base + upper + graph.max_elements_ * per_element + labels;
}

}  // namespace switchyard::cache::semantic

// semantic_eval: how well the semantic cache's parts do their jobs — figures, never a CI gate.
//
//   1. The threshold table: tests/data/semantic_pairs.json's hand-written paraphrase pairs (one
//      answer serves both: a hit is right) and near-miss pairs (similar words, another question:
//      a hit serves a wrong answer), both sides embedded with demo::SimulatedEmbedding; for each
//      threshold, the paraphrases that hit, the near misses that hit, and the precision of hits.
//   2. VectorIndex::Nearest by brute force against through an HNSW graph, on seeded random unit
//      vectors of 256 dimensions in one partition: µs per query, µs per Add, the graph's memory,
//      and its recall (the same answer as brute force) for three kinds of query: unrelated
//      (threshold -1: the true nearest of random vectors, all at similarity ~0.2 — the graph's
//      hardest case, and one a cache never needs: such a query misses at any real threshold),
//      related (a stored vector moved to similarity ~0.85, threshold 0.8: a borderline hit) and
//      near-duplicate (moved to ~0.95, threshold 0.9: what most semantic hits look like).
//   3. The graph's search beam (ef) against its speed and recall, at the largest size.
//
// Built with the micro-benchmarks (-DSWITCHYARD_BENCH=ON), run by hand (about 6 minutes on 2 cores
// at the default sizes, most of it building two 100,000-vector graphs per kind of data):
//   build-bench/semantic_eval [--pairs tests/data/semantic_pairs.json] [--eval-only]
//                             [--index-only] [--sizes 1000,10000,100000] [--queries 200]
// Timings are wall-clock on a shared machine: compare the rows of one run, not runs.
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cache/digest.h"
#include "cache/semantic/hnsw_graph.h"
#include "cache/semantic/vector_index.h"
#include "cache/semantic/vector_math.h"
#include "demo/simulated_embedder.h"

namespace {

namespace json = boost::json;
using switchyard::cache::Digest;
using namespace switchyard::cache::semantic;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kForever = INT64_MAX;
constexpr std::size_t kDims = 256;

#ifdef SWITCHYARD_SOURCE_DIR
constexpr const char* kPairs = SWITCHYARD_SOURCE_DIR "/tests/data/semantic_pairs.json";
#else
constexpr const char* kPairs = "tests/data/semantic_pairs.json";
#endif

struct Options {
  std::string pairs = kPairs;
  bool eval = true;
  bool index = true;
  std::vector<std::size_t> sizes = {1000, 10000, 100000};
  std::size_t queries = 200;
};

using Pair = std::pair<std::string, std::string>;

bool ReadPairs(const std::string& path, std::vector<Pair>& paraphrases,
               std::vector<Pair>& near_misses) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const json::value doc = json::parse(text.str(), ec);
  if (ec || !doc.is_object()) return false;
  auto read = [&](std::string_view key, std::vector<Pair>& out) {
    const json::value* list = doc.get_object().if_contains(key);
    if (list == nullptr || !list->is_array()) return false;
    for (const json::value& pair : list->get_array()) {
      const json::array* two = pair.if_array();
      if (two == nullptr || two->size() != 2 || !(*two)[0].is_string() || !(*two)[1].is_string()) {
        return false;
      }
      out.emplace_back(std::string((*two)[0].get_string()), std::string((*two)[1].get_string()));
    }
    return true;
  };
  return read("paraphrases", paraphrases) && read("near_misses", near_misses);
}

std::vector<float> Similarities(const std::vector<Pair>& pairs) {
  std::vector<float> out;
  for (const auto& [a, b] : pairs) {
    const std::vector<float> x = switchyard::demo::SimulatedEmbedding(a);
    const std::vector<float> y = switchyard::demo::SimulatedEmbedding(b);
    out.push_back(Dot(x.data(), y.data(), x.size()));
  }
  return out;
}

void PrintExtremes(const char* title, const std::vector<Pair>& pairs,
                   const std::vector<float>& similarity, bool highest) {
  std::vector<std::size_t> order(pairs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return highest ? similarity[a] > similarity[b] : similarity[a] < similarity[b];
  });
  std::printf("%s\n", title);
  for (std::size_t i = 0; i < std::min<std::size_t>(5, order.size()); ++i) {
    const std::size_t k = order[i];
    std::printf("  %.3f  \"%s\" | \"%s\"\n", similarity[k], pairs[k].first.c_str(),
                pairs[k].second.c_str());
  }
}

int Evaluate(const Options& options) {
  std::vector<Pair> paraphrases, near_misses;
  if (!ReadPairs(options.pairs, paraphrases, near_misses)) {
    std::fprintf(stderr, "semantic_eval: cannot read pairs from %s (run from the repository root "
                         "or pass --pairs)\n", options.pairs.c_str());
    return 1;
  }
  const std::vector<float> same = Similarities(paraphrases);
  const std::vector<float> other = Similarities(near_misses);
  std::printf("SimulatedEmbedding (%zu dims): %zu paraphrase pairs, %zu near-miss pairs\n\n", kDims,
              same.size(), other.size());
  std::printf("| threshold | paraphrase hit rate | near-miss false-hit rate | precision |\n");
  std::printf("|---|---|---|---|\n");
  for (const float threshold : {0.80f, 0.85f, 0.90f, 0.92f, 0.95f, 0.97f, 0.99f}) {
    auto hits = [&](const std::vector<float>& v) {
      return static_cast<std::size_t>(
          std::count_if(v.begin(), v.end(), [&](float s) { return s >= threshold; }));
    };
    const std::size_t right = hits(same);
    const std::size_t wrong = hits(other);
    const double precision = right + wrong == 0 ? 1.0 : double(right) / double(right + wrong);
    std::printf("| %.2f | %5.1f%% (%zu/%zu) | %5.1f%% (%zu/%zu) | %.3f |\n", threshold,
                100.0 * right / same.size(), right, same.size(), 100.0 * wrong / other.size(),
                wrong, other.size(), precision);
  }
  std::printf("\n");
  PrintExtremes("Least similar paraphrases:", paraphrases, same, false);
  PrintExtremes("Most similar near misses:", near_misses, other, true);
  std::printf("\n");
  return 0;
}

std::vector<float> RandomUnit(std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(kDims), unit;
  for (float& x : v) x = normal(rng);
  Normalise(v, unit);
  return unit;
}

// `v` moved to a cosine similarity of about `similarity`: noise of norm r = sqrt(1/s^2 - 1), nearly
// orthogonal to v in 256 dimensions (r / sqrt(dims) in each component).
std::vector<float> Moved(std::mt19937& rng, const std::vector<float>& v, double similarity) {
  const double r = std::sqrt(1.0 / (similarity * similarity) - 1.0);
  std::normal_distribution<float> normal(0.0f, static_cast<float>(r / std::sqrt(double(kDims))));
  std::vector<float> out = v;
  for (float& x : out) x += normal(rng);
  return out;
}

// Where the vectors come from. "random": isotropic in 256 dimensions, no structure at all — the
// worst case for a graph, whose greedy walk has nothing to follow. "latent-32": 32 hidden factors
// projected into 256 dimensions, plus noise of norm 0.3 — closer to text embeddings, which vary
// along far fewer directions than they have (unrelated texts at similarity ~0±0.2 here).
class VectorSource {
 public:
  VectorSource(bool latent, std::uint32_t seed) : latent_(latent), rng_(seed) {
    std::normal_distribution<float> normal(0.0f, 1.0f);
    if (latent_) projection_.resize(kDims * kLatent);
    for (float& x : projection_) x = normal(rng_);
  }
  const char* name() const { return latent_ ? "latent-32" : "random"; }
  std::vector<float> Next() {
    if (!latent_) return RandomUnit(rng_);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    float factors[kLatent];
    for (float& f : factors) f = normal(rng_);
    std::vector<float> x(kDims, 0.0f), unit;
    for (std::size_t i = 0; i < kDims; ++i) {
      for (std::size_t j = 0; j < kLatent; ++j) x[i] += projection_[i * kLatent + j] * factors[j];
    }
    Normalise(x, unit);
    Normalise(Moved(rng_, unit, 1.0 / std::sqrt(1.0 + 0.09)), x);
    return x;
  }
  std::mt19937& rng() { return rng_; }

 private:
  static constexpr std::size_t kLatent = 32;
  bool latent_;
  std::mt19937 rng_;
  std::vector<float> projection_;  // kDims x kLatent
};

double MicrosSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

struct QueryFigures {
  double micros = 0;  // per query
  std::vector<std::optional<Match>> answers;
};

QueryFigures Query(const VectorIndex& index, const Digest& partition,
                   const std::vector<std::vector<float>>& queries, float threshold) {
  QueryFigures figures;
  const Clock::time_point start = Clock::now();
  for (const std::vector<float>& q : queries) {
    figures.answers.push_back(index.Nearest(partition, q, threshold, 0));
  }
  figures.micros = MicrosSince(start) / double(queries.size());
  return figures;
}

double Recall(const QueryFigures& approximate, const QueryFigures& exact) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < exact.answers.size(); ++i) {
    const auto& a = approximate.answers[i];
    const auto& b = exact.answers[i];
    if (a.has_value() == b.has_value() && (!a || a->entry == b->entry)) ++same;
  }
  return double(same) / double(exact.answers.size());
}

void BenchIndex(const Options& options, bool latent) {
  const Digest partition = Digest::Of("bench");
  std::printf("VectorIndex::Nearest, one partition of N %s unit vectors, %zu dims\n\n",
              VectorSource(latent, 0).name(), kDims);
  std::printf("µs per query, brute force / HNSW, and the graph's recall, by kind of query\n\n");
  std::printf("| N | unrelated µs | recall | related (0.85) µs | recall | near-dup (0.95) µs | "
              "recall | µs/Add | MB |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const std::size_t n : options.sizes) {
    VectorSource source(latent, 42);
    std::mt19937& rng = source.rng();
    std::vector<std::vector<float>> stored;
    for (std::size_t i = 0; i < n; ++i) stored.push_back(source.Next());
    std::vector<std::vector<float>> unrelated, related, near;
    for (std::size_t i = 0; i < options.queries; ++i) {
      unrelated.push_back(source.Next());
      related.push_back(Moved(rng, stored[rng() % n], 0.85));
      near.push_back(Moved(rng, stored[rng() % n], 0.95));
    }
    VectorIndex brute(IndexLimits{.max_vectors = n, .hnsw_from = 0});
    VectorIndex graph(IndexLimits{.max_vectors = n, .hnsw_from = 1});
    Clock::time_point start = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
      brute.Add(partition, Digest::Of(std::to_string(i)), stored[i], kForever);
    }
    const double brute_add = MicrosSince(start) / double(n);
    start = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
      graph.Add(partition, Digest::Of(std::to_string(i)), stored[i], kForever);
    }
    const double graph_add = MicrosSince(start) / double(n);

    std::printf("| %zu", n);
    for (const auto& [queries, threshold] :
         {std::pair{&unrelated, -1.0f}, std::pair{&related, 0.8f}, std::pair{&near, 0.9f}}) {
      const QueryFigures exact = Query(brute, partition, *queries, threshold);
      const QueryFigures approx = Query(graph, partition, *queries, threshold);
      std::printf(" | %.1f / %.1f | %.3f", exact.micros, approx.micros, Recall(approx, exact));
    }
    std::printf(" | %.1f / %.1f | %.1f / %.1f |\n", brute_add, graph_add,
                double(brute.stats().bytes) / 1e6, double(graph.stats().bytes) / 1e6);
    std::fflush(stdout);
  }
  std::printf("\n");
}

// The graph alone, its beam swept, against the exact nearest (a linear scan).
void BenchBeam(const Options& options, bool latent) {
  const std::size_t n = options.sizes.back();
  VectorSource source(latent, 43);
  std::mt19937& rng = source.rng();
  std::vector<std::vector<float>> stored;
  for (std::size_t i = 0; i < n; ++i) stored.push_back(source.Next());
  std::unique_ptr<HnswGraph> graph = HnswGraph::Make(kDims, n);
  if (graph == nullptr) return;
  for (std::size_t i = 0; i < n; ++i) graph->Put(static_cast<std::uint32_t>(i), stored[i].data());
  std::vector<std::vector<float>> queries;  // unrelated, then related
  std::vector<std::size_t> truth;
  for (std::size_t i = 0; i < 2 * options.queries; ++i) {
    queries.push_back(i < options.queries ? source.Next() : Moved(rng, stored[rng() % n], 0.85));
    std::size_t best = 0;
    float best_similarity = -2;
    for (std::size_t j = 0; j < n; ++j) {
      const float s = Dot(queries.back().data(), stored[j].data(), kDims);
      if (s > best_similarity) best_similarity = s, best = j;
    }
    truth.push_back(best);
  }
  std::printf("HnswGraph alone, N=%zu %s vectors: the search beam ef against recall@1\n\n", n,
              source.name());
  std::printf("| ef | unrelated µs | recall@1 | related (0.85) µs | recall@1 |\n");
  std::printf("|---|---|---|---|---|\n");
  for (const std::size_t ef : {16, 32, 64, 128, 256}) {
    graph->set_ef(ef);
    std::printf("| %zu", ef);
    for (std::size_t half = 0; half < 2; ++half) {
      std::size_t found = 0;
      const Clock::time_point start = Clock::now();
      for (std::size_t i = half * options.queries; i < (half + 1) * options.queries; ++i) {
        const auto rows = graph->Candidates(queries[i].data(), 1);
        if (rows && !rows->empty() && (*rows)[0] == truth[i]) ++found;
      }
      std::printf(" | %.1f | %.3f", MicrosSince(start) / double(options.queries),
                  double(found) / double(options.queries));
    }
    std::printf(" |\n");
  }
  std::printf("\n");
}

std::vector<std::size_t> ParseSizes(const char* text) {
  std::vector<std::size_t> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const std::size_t n = std::strtoull(item.c_str(), nullptr, 10);
    if (n > 0) sizes.push_back(n);
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--pairs" && has_value) {
      options.pairs = argv[++i];
    } else if (arg == "--eval-only") {
      options.index = false;
    } else if (arg == "--index-only") {
      options.eval = false;
    } else if (arg == "--sizes" && has_value) {
      options.sizes = ParseSizes(argv[++i]);
    } else if (arg == "--queries" && has_value) {
      options.queries = std::max<std::size_t>(1, std::strtoull(argv[++i], nullptr, 10));
    } else {
      std::fprintf(stderr, "usage: semantic_eval [--pairs PATH] [--eval-only] [--index-only] "
                           "[--sizes N,N,...] [--queries Q]\n");
      return 2;
    }
  }
  if (options.eval && Evaluate(options) != 0) return 1;
  if (options.index && !options.sizes.empty()) {
    for (const bool latent : {false, true}) {
      BenchIndex(options, latent);
      BenchBeam(options, latent);
    }
  }
  return 0;
}

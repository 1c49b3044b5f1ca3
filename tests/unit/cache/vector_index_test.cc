#include "cache/semantic/vector_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cache/semantic/partition.h"
#include "cache/semantic/vector_math.h"

namespace switchyard::cache::semantic {
namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

Digest D(const std::string& name) { return Digest::Of(name); }

// The i-th basis vector of `dims` dimensions.
std::vector<float> Basis(std::size_t i, std::size_t dims = 8) {
  std::vector<float> v(dims, 0.0f);
  v[i] = 1.0f;
  return v;
}

std::vector<float> RandomUnit(std::mt19937& rng, std::size_t dims) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(dims);
  for (float& x : v) x = normal(rng);
  std::vector<float> unit;
  Normalise(v, unit);
  return unit;
}

// `v` moved a little: each component plus N(0, sigma).
std::vector<float> Nudged(std::mt19937& rng, const std::vector<float>& v, float sigma) {
  std::normal_distribution<float> normal(0.0f, sigma);
  std::vector<float> out = v;
  for (float& x : out) x += normal(rng);
  return out;
}

bool Hits(const VectorIndex& index, const Digest& partition, const std::vector<float>& query,
          const Digest& entry, float threshold = 0.999f, std::int64_t now = 0) {
  const std::optional<Match> match = index.Nearest(partition, query, threshold, now);
  return match && match->entry == entry;
}

TEST(VectorIndexTest, FindsTheMostSimilarVector) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("east"), std::vector<float>{1, 0, 0}, kForever));
  ASSERT_TRUE(index.Add(D("p"), D("north"), std::vector<float>{0, 1, 0}, kForever));
  ASSERT_TRUE(index.Add(D("p"), D("north-east"), std::vector<float>{0.7f, 0.7f, 0}, kForever));

  const std::optional<Match> match =
      index.Nearest(D("p"), std::vector<float>{0.9f, 0.1f, 0}, 0.5f, 0);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->entry, D("east"));
  EXPECT_NEAR(match->similarity, 0.9f / std::sqrt(0.82f), 1e-6);

  const std::optional<Match> between =
      index.Nearest(D("p"), std::vector<float>{0.6f, 0.8f, 0}, 0.5f, 0);
  ASSERT_TRUE(between.has_value());
  EXPECT_EQ(between->entry, D("north-east"));
}

TEST(VectorIndexTest, AMatchMustReachTheThreshold) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("e"), std::vector<float>{1, 0}, kForever));
  // Exactly 1: the threshold is inclusive.
  EXPECT_TRUE(Hits(index, D("p"), {1, 0}, D("e"), 1.0f));
  const std::vector<float> query{0.8f, 0.6f};  // similarity 0.8
  EXPECT_TRUE(Hits(index, D("p"), query, D("e"), 0.79f));
  EXPECT_FALSE(index.Nearest(D("p"), query, 0.81f, 0).has_value());
  EXPECT_FALSE(index.Nearest(D("p"), query, std::nanf(""), 0).has_value());
}

TEST(VectorIndexTest, PartitionsNeverCross) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("gpt"), D("exact"), Basis(0), kForever));
  ASSERT_TRUE(index.Add(D("claude"), D("far"), Basis(1), kForever));
  EXPECT_FALSE(index.Nearest(D("other"), Basis(0), -1.0f, 0).has_value());
  const std::optional<Match> match = index.Nearest(D("claude"), Basis(0), -1.0f, 0);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->entry, D("far"));  // not the exact vector of the other partition
  EXPECT_EQ(index.stats().partitions, 2);
}

TEST(VectorIndexTest, AVectorExpiresAtItsTime) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("soon"), Basis(0), 1000));
  ASSERT_TRUE(index.Add(D("p"), D("later"), std::vector<float>{1, 1, 0, 0, 0, 0, 0, 0}, 5000));
  EXPECT_TRUE(Hits(index, D("p"), Basis(0), D("soon"), 0.5f, 999));
  // At 1000 the nearest has expired: the next one above the threshold answers.
  EXPECT_TRUE(Hits(index, D("p"), Basis(0), D("later"), 0.5f, 1000));
  EXPECT_FALSE(index.Nearest(D("p"), Basis(0), 0.5f, 5000).has_value());
}

TEST(VectorIndexTest, ExpiredVectorsAreReclaimedByALaterAdd) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("a"), Basis(0), 1000));
  ASSERT_TRUE(index.Add(D("p"), D("b"), Basis(1), 2000));
  ASSERT_TRUE(index.Add(D("q"), D("c"), Basis(2), 1500));
  EXPECT_EQ(index.stats().vectors, 3);
  index.Nearest(D("p"), Basis(0), 0.5f, 1500);  // the present is now 1500
  EXPECT_EQ(index.stats().vectors, 3);          // a lookup changes nothing
  ASSERT_TRUE(index.Add(D("r"), D("d"), Basis(3), kForever));
  const IndexStats stats = index.stats();
  EXPECT_EQ(stats.vectors, 2);     // b and d
  EXPECT_EQ(stats.partitions, 2);  // q emptied and went
  EXPECT_TRUE(Hits(index, D("p"), Basis(1), D("b"), 0.999f, 1500));
}

TEST(VectorIndexTest, AddingAgainReplacesTheVector) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("e"), Basis(0), 1000));
  ASSERT_TRUE(index.Add(D("p"), D("e"), Basis(1), 3000));
  EXPECT_EQ(index.stats().vectors, 1);
  EXPECT_FALSE(index.Nearest(D("p"), Basis(0), 0.5f, 0).has_value());
  EXPECT_TRUE(Hits(index, D("p"), Basis(1), D("e"), 0.999f, 2000));  // the new expiry counts
  // The same vector again (a shared store announces to every instance, this one too): no harm.
  ASSERT_TRUE(index.Add(D("p"), D("e"), Basis(1), 3000));
  EXPECT_EQ(index.stats().vectors, 1);
}

TEST(VectorIndexTest, RemoveDropsTheEntry) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("a"), Basis(0), kForever));
  ASSERT_TRUE(index.Add(D("p"), D("b"), Basis(1), kForever));
  index.Remove(D("p"), D("a"));
  index.Remove(D("p"), D("never"));
  index.Remove(D("nowhere"), D("a"));
  EXPECT_FALSE(index.Nearest(D("p"), Basis(0), 0.5f, 0).has_value());
  EXPECT_TRUE(Hits(index, D("p"), Basis(1), D("b")));
  index.Remove(D("p"), D("b"));
  const IndexStats stats = index.stats();
  EXPECT_EQ(stats.vectors, 0);
  EXPECT_EQ(stats.partitions, 0);
}

TEST(VectorIndexTest, PastMaxVectorsTheOldestAddedGoes) {
  VectorIndex index(IndexLimits{.max_vectors = 3, .hnsw_from = 2048});
  ASSERT_TRUE(index.Add(D("p"), D("a"), Basis(0), kForever));
  ASSERT_TRUE(index.Add(D("q"), D("b"), Basis(1), kForever));
  ASSERT_TRUE(index.Add(D("p"), D("c"), Basis(2), kForever));
  ASSERT_TRUE(index.Add(D("q"), D("d"), Basis(3), kForever));  // over all partitions: a goes
  EXPECT_FALSE(index.Nearest(D("p"), Basis(0), 0.5f, 0).has_value());
  EXPECT_TRUE(Hits(index, D("q"), Basis(1), D("b")));

  ASSERT_TRUE(index.Add(D("q"), D("b"), Basis(1), kForever));  // replaced: added anew
  ASSERT_TRUE(index.Add(D("p"), D("e"), Basis(4), kForever));  // so c goes, not b
  EXPECT_TRUE(Hits(index, D("q"), Basis(1), D("b")));
  EXPECT_FALSE(index.Nearest(D("p"), Basis(2), 0.5f, 0).has_value());
  EXPECT_TRUE(Hits(index, D("q"), Basis(3), D("d")));
  EXPECT_TRUE(Hits(index, D("p"), Basis(4), D("e")));
  EXPECT_EQ(index.stats().vectors, 3);
}

TEST(VectorIndexTest, AVectorOfAnotherDimensionIsRefused) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("a"), std::vector<float>{1, 0, 0}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("b"), std::vector<float>{1, 0, 0, 0}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>{1, 0, 0, 0}, kForever));
  EXPECT_TRUE(index.Add(D("q"), D("b"), std::vector<float>{1, 0, 0, 0}, kForever));
  EXPECT_FALSE(index.Nearest(D("p"), std::vector<float>{1, 0, 0, 0}, -1.0f, 0).has_value());
  EXPECT_TRUE(Hits(index, D("p"), {1, 0, 0}, D("a")));
  // Once the partition is empty, a new model's dimension is taken.
  index.Remove(D("p"), D("a"));
  EXPECT_TRUE(index.Add(D("p"), D("c"), std::vector<float>{0, 1, 0, 0}, kForever));
}

TEST(VectorIndexTest, ZeroAndNonFiniteVectorsAreRefused) {
  VectorIndex index(IndexLimits{});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>{0, 0, 0}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>{1, nan, 0}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>{1, inf, 0}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>{}, kForever));
  EXPECT_FALSE(index.Add(D("p"), D("a"), std::vector<float>(kMaxDimensions + 1, 1.0f), kForever));
  EXPECT_EQ(index.stats().vectors, 0);
  EXPECT_EQ(index.stats().partitions, 0);  // a refused vector makes no partition

  ASSERT_TRUE(index.Add(D("p"), D("a"), std::vector<float>{1, 0, 0}, kForever));
  EXPECT_FALSE(index.Nearest(D("p"), std::vector<float>{0, 0, 0}, -1.0f, 0).has_value());
  EXPECT_FALSE(index.Nearest(D("p"), std::vector<float>{nan, 0, 0}, -1.0f, 0).has_value());
}

TEST(VectorIndexTest, VectorsAreScaledToUnitLength) {
  VectorIndex index(IndexLimits{});
  ASSERT_TRUE(index.Add(D("p"), D("e"), std::vector<float>{3, 4}, kForever));
  const std::optional<Match> match = index.Nearest(D("p"), std::vector<float>{6, 8}, 0.0f, 0);
  ASSERT_TRUE(match.has_value());
  EXPECT_NEAR(match->similarity, 1.0f, 1e-6);
  // Tiny and huge components scale too, without overflow.
  ASSERT_TRUE(index.Add(D("p"), D("tiny"), std::vector<float>{1e-30f, 0}, kForever));
  ASSERT_TRUE(index.Add(D("p"), D("huge"), std::vector<float>{0, 3e38f}, kForever));
  EXPECT_TRUE(Hits(index, D("p"), {1, 0}, D("tiny")));
  EXPECT_TRUE(Hits(index, D("p"), {0, 1}, D("huge")));
}

// The same vectors, added to an index that builds a graph and to one that never does.
struct TwinIndexes {
  explicit TwinIndexes(std::size_t hnsw_from)
      : graph(IndexLimits{.max_vectors = 100000, .hnsw_from = hnsw_from}),
        exact(IndexLimits{.max_vectors = 100000, .hnsw_from = 0}) {}
  void Add(const Digest& entry, const std::vector<float>& v, std::int64_t expires) {
    ASSERT_TRUE(graph.Add(D("p"), entry, v, expires));
    ASSERT_TRUE(exact.Add(D("p"), entry, v, expires));
  }
  void Remove(const Digest& entry) {
    graph.Remove(D("p"), entry);
    exact.Remove(D("p"), entry);
  }
  // Both answer the same (the same entry, or both nothing) for every query.
  void ExpectSameAnswers(const std::vector<std::vector<float>>& queries, float threshold,
                         std::int64_t now, int* hits) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const std::optional<Match> a = graph.Nearest(D("p"), queries[i], threshold, now);
      const std::optional<Match> b = exact.Nearest(D("p"), queries[i], threshold, now);
      ASSERT_EQ(a.has_value(), b.has_value()) << "query " << i;
      if (!a) continue;
      EXPECT_EQ(a->entry, b->entry) << "query " << i;
      EXPECT_GE(a->similarity, threshold);
      ++*hits;
    }
  }
  VectorIndex graph;
  VectorIndex exact;
};

TEST(VectorIndexTest, AGraphAnswersAsBruteForceDoes) {
  constexpr std::size_t kDims = 64;
  constexpr std::size_t kVectors = 1500;
  std::mt19937 rng(15);
  TwinIndexes twins(/*hnsw_from=*/256);
  std::vector<std::vector<float>> stored;
  for (std::size_t i = 0; i < kVectors; ++i) {
    stored.push_back(RandomUnit(rng, kDims));
    // Every third expires at 1000.
    twins.Add(D("e" + std::to_string(i)), stored.back(), i % 3 == 0 ? 1000 : kForever);
  }
  EXPECT_EQ(twins.graph.stats().hnsw_partitions, 1);
  EXPECT_EQ(twins.exact.stats().hnsw_partitions, 0);

  // Paraphrases of stored questions (near a stored vector) and unrelated ones (near none).
  std::vector<std::vector<float>> queries;
  for (std::size_t i = 0; i < kVectors; i += 7) queries.push_back(Nudged(rng, stored[i], 0.02f));
  for (int i = 0; i < 100; ++i) queries.push_back(RandomUnit(rng, kDims));
  int hits = 0;
  twins.ExpectSameAnswers(queries, 0.9f, 0, &hits);
  EXPECT_GT(hits, 200);
  hits = 0;
  twins.ExpectSameAnswers(queries, 0.9f, 1000, &hits);  // a third expired
  EXPECT_GT(hits, 130);

  // Removals mark graph nodes gone, and Adds reuse them.
  for (std::size_t i = 1; i < kVectors; i += 2) twins.Remove(D("e" + std::to_string(i)));
  for (std::size_t i = 1; i < 200; i += 2) {
    stored[i] = RandomUnit(rng, kDims);
    twins.Add(D("e" + std::to_string(i)), stored[i], kForever);
  }
  queries.clear();
  for (std::size_t i = 0; i < kVectors; i += 5) queries.push_back(Nudged(rng, stored[i], 0.02f));
  EXPECT_EQ(twins.graph.stats().hnsw_partitions, 1);
  twins.ExpectSameAnswers(queries, 0.9f, 0, &hits);

  // Small again (below half of hnsw_from): back to brute force, answers unchanged.
  for (std::size_t i = 0; i < kVectors; i += 2) twins.Remove(D("e" + std::to_string(i)));
  EXPECT_LT(twins.graph.stats().vectors, 128);
  EXPECT_EQ(twins.graph.stats().hnsw_partitions, 0);
  twins.ExpectSameAnswers(queries, 0.9f, 0, &hits);
}

TEST(VectorIndexTest, AGraphLooksPastExpiredCandidates) {
  constexpr std::size_t kDims = 32;
  std::mt19937 rng(7);
  TwinIndexes twins(/*hnsw_from=*/128);
  const std::vector<float> question = RandomUnit(rng, kDims);
  // The 40 nearest vectors to the question have expired; the 41st nearest has not.
  for (int i = 0; i < 40; ++i) {
    twins.Add(D("stale" + std::to_string(i)), Nudged(rng, question, 0.01f), 1000);
  }
  twins.Add(D("fresh"), Nudged(rng, question, 0.04f), kForever);
  for (int i = 0; i < 300; ++i) {
    twins.Add(D("other" + std::to_string(i)), RandomUnit(rng, kDims), kForever);
  }
  ASSERT_EQ(twins.graph.stats().hnsw_partitions, 1);
  int hits = 0;
  twins.ExpectSameAnswers({question}, 0.8f, 2000, &hits);
  EXPECT_EQ(hits, 1);
  EXPECT_TRUE(Hits(twins.graph, D("p"), question, D("fresh"), 0.8f, 2000));
}

// A graph is built from a copy while the partition goes on changing; what changed meanwhile is
// replayed onto it before it answers.
TEST(PartitionTest, ChangesDuringAGraphBuildReachTheGraph) {
  constexpr std::size_t kDims = 32;
  std::mt19937 rng(21);
  Partition graph(kDims, /*hnsw_from=*/100);
  Partition exact(kDims, /*hnsw_from=*/0);
  std::map<int, std::vector<float>> live;
  std::uint64_t seq = 0;
  auto put = [&](int id) {
    live[id] = RandomUnit(rng, kDims);
    graph.Put(D(std::to_string(id)), live[id], kForever, ++seq);
    exact.Put(D(std::to_string(id)), live[id], kForever, seq);
  };
  auto drop = [&](int id) {
    live.erase(id);
    graph.Drop(D(std::to_string(id)), std::nullopt);
    exact.Drop(D(std::to_string(id)), std::nullopt);
  };
  for (int id = 0; id < 300; ++id) put(id);
  ASSERT_TRUE(graph.wants_graph());
  EXPECT_FALSE(exact.wants_graph());
  std::optional<Partition::GraphSource> source = graph.BeginGraph();
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(source->rows.size(), 300u);
  EXPECT_FALSE(graph.wants_graph());          // one build at a time
  EXPECT_FALSE(graph.BeginGraph().has_value());
  for (int id = 0; id < 20; ++id) put(id);      // replaced
  for (int id = 20; id < 50; ++id) drop(id);    // dropped: their rows are free
  for (int id = 300; id < 340; ++id) put(id);   // new, in the freed rows and after
  for (int id = 330; id < 335; ++id) drop(id);  // new, then dropped
  EXPECT_FALSE(graph.uses_hnsw());
  graph.FinishGraph(Partition::BuildGraph(*source));
  ASSERT_TRUE(graph.uses_hnsw());

  int hits = 0;
  for (int id = 0; id < 340; ++id) {
    std::vector<float> query = live.count(id) ? live[id] : RandomUnit(rng, kDims);
    std::vector<float> unit;
    Normalise(Nudged(rng, query, 0.02f), unit);
    const std::optional<Match> a = graph.Nearest(unit, 0.9f, 0);
    const std::optional<Match> b = exact.Nearest(unit, 0.9f, 0);
    ASSERT_EQ(a.has_value(), b.has_value()) << id;
    if (!a) continue;
    EXPECT_EQ(a->entry, b->entry) << id;
    EXPECT_EQ(a->entry, D(std::to_string(id))) << id;
    ++hits;
  }
  EXPECT_EQ(hits, static_cast<int>(live.size()));
}

TEST(PartitionTest, AGraphThatFailedIsTriedAgainAfterDoubling) {
  Partition partition(4, /*hnsw_from=*/16);
  std::mt19937 rng(5);
  std::uint64_t seq = 0;
  auto put = [&](int i) {
    partition.Put(D(std::to_string(i)), RandomUnit(rng, 4), kForever, ++seq);
  };
  for (int i = 0; i < 16; ++i) put(i);
  ASSERT_TRUE(partition.BeginGraph().has_value());
  partition.FinishGraph(nullptr);  // as when hnswlib cannot allocate
  EXPECT_FALSE(partition.uses_hnsw());
  EXPECT_FALSE(partition.wants_graph());
  for (int i = 16; i < 32; ++i) put(i);
  EXPECT_TRUE(partition.wants_graph());
}

TEST(VectorIndexTest, CompactionDropsTheGraphAndTheNextAddRebuildsIt) {
  constexpr std::size_t kDims = 16;
  std::mt19937 rng(9);
  VectorIndex index(IndexLimits{.max_vectors = 100000, .hnsw_from = 100});
  std::vector<std::vector<float>> stored;
  for (int i = 0; i < 400; ++i) {
    stored.push_back(RandomUnit(rng, kDims));
    ASSERT_TRUE(index.Add(D("p"), D(std::to_string(i)), stored.back(), kForever));
  }
  ASSERT_EQ(index.stats().hnsw_partitions, 1);
  // 250 of 400 rows free: more than half, so the rows are renumbered and the graph goes.
  for (int i = 0; i < 250; ++i) index.Remove(D("p"), D(std::to_string(i)));
  EXPECT_EQ(index.stats().hnsw_partitions, 0);
  EXPECT_TRUE(Hits(index, D("p"), stored[300], D("300")));
  ASSERT_TRUE(index.Add(D("p"), D("new"), RandomUnit(rng, kDims), kForever));
  EXPECT_EQ(index.stats().hnsw_partitions, 1);
  for (int i = 250; i < 400; ++i) {
    EXPECT_TRUE(Hits(index, D("p"), stored[i], D(std::to_string(i)))) << i;
  }
}

TEST(VectorIndexTest, StatsCountPartitionsVectorsAndGraphs) {
  VectorIndex index(IndexLimits{.max_vectors = 1000, .hnsw_from = 16});
  std::mt19937 rng(3);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(index.Add(D("big"), D(std::to_string(i)), RandomUnit(rng, 16), kForever));
  }
  ASSERT_TRUE(index.Add(D("small"), D("x"), RandomUnit(rng, 16), kForever));
  const IndexStats stats = index.stats();
  EXPECT_EQ(stats.partitions, 2);
  EXPECT_EQ(stats.vectors, 21);
  EXPECT_EQ(stats.hnsw_partitions, 1);
  EXPECT_GT(stats.bytes, 21 * 16 * 4);
}

// Many workers at once: adds (with evictions past max_vectors, graphs built and dropped), removes
// and lookups on shared partitions. Asserts only what must hold whatever the interleaving.
TEST(VectorIndexTest, WorkersMayAddAndSearchAtOnce) {
  constexpr std::size_t kDims = 16;
  constexpr int kPartitions = 3;
  VectorIndex index(IndexLimits{.max_vectors = 300, .hnsw_from = 64});
  std::atomic<int> bad_matches{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937 rng(100 + w);
      for (int i = 0; i < 1500; ++i) {
        const Digest partition = D("p" + std::to_string(i % kPartitions));
        const Digest entry = D(std::to_string(w) + ":" + std::to_string(i % 400));
        index.Add(partition, entry, RandomUnit(rng, kDims), 10'000 + i);
        if (i % 11 == 0) index.Remove(partition, entry);
      }
    });
  }
  for (int r = 0; r < 4; ++r) {
    workers.emplace_back([&, r] {
      std::mt19937 rng(200 + r);
      for (int i = 0; i < 1500; ++i) {
        const std::optional<Match> match =
            index.Nearest(D("p" + std::to_string(i % kPartitions)), RandomUnit(rng, kDims), 0.5f,
                          10'000 + i);
        if (match && match->similarity < 0.5f) bad_matches.fetch_add(1);
        if (i % 100 == 0) index.stats();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(bad_matches.load(), 0);
  const IndexStats stats = index.stats();
  EXPECT_LE(stats.vectors, 300);
  EXPECT_LE(stats.partitions, kPartitions);
}

}  // namespace
}  // namespace switchyard::cache::semantic

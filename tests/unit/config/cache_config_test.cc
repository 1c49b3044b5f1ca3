// `cache:` and a route's `cache:` (CONTRACT.md "Cache").
#include <gtest/gtest.h>

#include "config/cache_config.h"
#include "config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::HasProblem;
using testing_util::Load;

TEST(CacheConfigTest, DefaultsAreTheContracts) {
  LoadResult result = Load("threads: 1\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const CacheConfig& cache = result.config->cache;
  EXPECT_EQ(cache.backend, "memory");
  EXPECT_EQ(cache.max_bytes, 256ULL << 20);
  EXPECT_EQ(cache.max_entry_bytes, 4ULL << 20);
  EXPECT_EQ(cache.ttl_s, 3600);
  EXPECT_EQ(cache.scope, CacheScope::kKey);
  EXPECT_TRUE(cache.semantic.embedding_model.empty());
  EXPECT_DOUBLE_EQ(cache.semantic.threshold, 0.95);
  EXPECT_EQ(cache.semantic.max_messages, 4);
}

TEST(CacheConfigTest, ReadsEveryKey) {
  LoadResult result = Load(
      "cache:\n"
      "  backend: redis\n"
      "  url: redis://127.0.0.1:6390/2\n"
      "  max_bytes: 64MiB\n"
      "  max_entry_bytes: 1MiB\n"
      "  ttl_s: 600\n"
      "  scope: shared\n"
      "  key_prefix: 'app:'\n"
      "  semantic: { embedding_model: openai/text-embedding-3-small, threshold: 0.9,\n"
      "              max_messages: 2, max_text_bytes: 2KiB, max_vectors: 5000 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const CacheConfig& cache = result.config->cache;
  EXPECT_EQ(cache.backend, "redis");
  EXPECT_EQ(cache.url.reveal(), "redis://127.0.0.1:6390/2");
  EXPECT_EQ(cache.max_bytes, 64ULL << 20);
  EXPECT_EQ(cache.max_entry_bytes, 1ULL << 20);
  EXPECT_EQ(cache.ttl_s, 600);
  EXPECT_EQ(cache.scope, CacheScope::kShared);
  EXPECT_EQ(cache.key_prefix, "app:");
  EXPECT_EQ(cache.semantic.embedding_model, "openai/text-embedding-3-small");
  EXPECT_DOUBLE_EQ(cache.semantic.threshold, 0.9);
  EXPECT_EQ(cache.semantic.max_messages, 2);
  EXPECT_EQ(cache.semantic.max_text_bytes, 2048u);
  EXPECT_EQ(cache.semantic.max_vectors, 5000);
}

TEST(CacheConfigTest, BadValuesAreReportedAtTheirLine) {
  EXPECT_TRUE(HasProblem(Load("cache: { backend: disk }"), 1, "cache.backend must be one of"));
  EXPECT_TRUE(HasProblem(Load("cache:\n  backend: redis\n"), 2, "cache.backend redis needs cache.url"));
  EXPECT_TRUE(HasProblem(Load("cache:\n  semantic: { threshold: 1.5 }\n"), 2,
                         "cache.semantic.threshold must be a number from 0 to 1"));
  EXPECT_TRUE(HasProblem(Load("cache:\n  ttl_s: 0\n"), 2, "cache.ttl_s"));
  EXPECT_TRUE(HasProblem(Load("cache: { max_bytes: 1MiB, max_entry_bytes: 2MiB }"), 1,
                         "must not be above cache.max_bytes"));
  EXPECT_TRUE(HasProblem(Load("cache: { colour: blue }"), 1, "colour"));
}

TEST(CacheConfigTest, RouteCacheOptsTheRouteIn) {
  LoadResult result = Load(
      "providers: { openai: { api_key: k } }\n"
      "routes:\n"
      "  faq: { targets: [ openai/gpt-4o-mini ], cache: { mode: semantic, ttl_s: 60, "
      "threshold: 0.8, scope: shared, tools: true } }\n"
      "  plain: { targets: [ openai/gpt-4o-mini ] }\n"
      "  empty: { targets: [ openai/gpt-4o-mini ], cache: {} }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteCacheConfig& faq = result.config->FindRoute("faq")->cache;
  EXPECT_EQ(faq.mode, CacheMode::kSemantic);
  EXPECT_EQ(faq.ttl_s, 60);
  EXPECT_DOUBLE_EQ(*faq.threshold, 0.8);
  EXPECT_EQ(faq.scope, CacheScope::kShared);
  EXPECT_TRUE(faq.tools);
  EXPECT_EQ(result.config->FindRoute("plain")->cache.mode, CacheMode::kOff);
  EXPECT_EQ(result.config->FindRoute("empty")->cache.mode, CacheMode::kExact);
  EXPECT_TRUE(HasProblem(Load("providers: { openai: { api_key: k } }\n"
                              "routes:\n  r: { targets: [ openai/x ], cache: { mode: fuzzy } }\n"),
                         3, "mode must be one of"));
}

TEST(CacheConfigTest, SimilarityThresholdParse) {
  EXPECT_DOUBLE_EQ(*ParseSimilarityThreshold("0.95"), 0.95);
  EXPECT_DOUBLE_EQ(*ParseSimilarityThreshold("1"), 1.0);
  EXPECT_DOUBLE_EQ(*ParseSimilarityThreshold("0"), 0.0);
  for (std::string_view bad : {"", "1.01", "-0.1", "nan", "inf", "0.9x", " 0.9"}) {
    EXPECT_FALSE(ParseSimilarityThreshold(bad)) << bad;
  }
}

}  // namespace
}  // namespace switchyard::config

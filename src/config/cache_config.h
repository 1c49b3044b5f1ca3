// The response cache's configuration (CONTRACT.md "Cache (exact and semantic)"): the gateway-wide
// `cache:` section (backend, bounds, default lifetime and scope, the semantic cache's embedding
// model and threshold) and a route's own `cache:` defaults. Plain values, with the one parser of a
// similarity threshold that the YAML loader and the per-call header share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/secret.h"

namespace switchyard::config {

// How a call uses the cache. kExact: an identical request's answer is reused; kSemantic: an
// identical one first, then one whose last question means the same (at or above the threshold).
enum class CacheMode { kOff, kExact, kSemantic };
std::optional<CacheMode> ParseCacheMode(std::string_view text);  // off | exact | semantic

// Whose entries a call may read: its own gateway key's (kKey), or every key's (kShared).
enum class CacheScope { kKey, kShared };

inline constexpr std::int64_t kMaxCacheTtlSeconds = 30LL * 24 * 3600;  // 30 days

// A cosine similarity threshold, "0" to "1" (e.g. "0.95"); nullopt for anything else.
std::optional<double> ParseSimilarityThreshold(std::string_view text);

struct SemanticCacheConfig {
  // "provider/model" (or a route) of an embeddings model, called through the gateway's own
  // providers; empty: the semantic cache is off and `semantic` calls are exact-only.
  std::string embedding_model;
  double threshold = 0.95;
  // Conversations with more messages than this (system prompts not counted) are not matched
  // semantically: a long conversation's last question rarely means the same out of its context.
  int max_messages = 4;
  std::uint64_t max_text_bytes = 8 * 1024;  // the longest text embedded; longer: exact only
  std::int64_t max_vectors = 100'000;       // vectors kept in this instance's index
  int line = 0;
};

struct CacheConfig {
  std::string backend = "memory";  // memory | redis
  Secret url;                      // redis://[:PASSWORD@]HOST[:PORT][/DB]
  std::uint64_t max_bytes = 256ULL << 20;      // memory backend: entries evicted LRU by bytes
  std::uint64_t max_entry_bytes = 4ULL << 20;  // a larger answer is not stored
  std::int64_t ttl_s = 3600;                   // an entry's default lifetime
  CacheScope scope = CacheScope::kKey;
  std::string key_prefix = "sy:cache:";        // redis backend: every key under it
  SemanticCacheConfig semantic;
  int line = 0;  // of `cache:`; 0 when absent
};

// A route's `cache:` — its calls' defaults; a call's own headers override them.
struct RouteCacheConfig {
  CacheMode mode = CacheMode::kOff;
  std::optional<std::int64_t> ttl_s;
  std::optional<CacheScope> scope;
  std::optional<double> threshold;
  bool tools = false;  // answers with tool calls may be stored (never by default)
};

}  // namespace switchyard::config

// CachePolicy: what the response cache does for one call — read, write, match semantically or
// not, for how long, in whose scope — decided from the call's headers over its route's `cache:`
// over the gateway's `cache:` (CONTRACT.md "Cache"). Off unless the call or its route opts in.
// Plain values; the decision is a pure function, unit-tested without a gateway.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "config/cache_config.h"
#include "core/result.h"

namespace switchyard::cache {

inline constexpr std::string_view kCacheHeader = "x-switchyard-cache";
inline constexpr std::string_view kCacheTtlHeader = "x-switchyard-cache-ttl";
inline constexpr std::string_view kCacheThresholdHeader = "x-switchyard-cache-threshold";
inline constexpr std::string_view kCacheSimilarityHeader = "x-switchyard-cache-similarity";

struct CachePolicy {
  bool read = false;      // look for a stored answer before routing (false: `refresh`)
  bool semantic = false;  // after an exact miss, look for one that means the same
  std::chrono::seconds ttl{3600};  // of the entry this call writes
  double threshold = 0.95;         // semantic only
  config::CacheScope scope = config::CacheScope::kKey;
  bool tools = false;              // an answer with tool calls may be stored
  bool refresh = false;            // `refresh`: not read, the fresh answer replaces the entry
};

// The header values as the client sent them (empty: absent).
struct CacheHeaders {
  std::string_view mode;       // on | off | refresh | semantic
  std::string_view ttl;        // seconds
  std::string_view threshold;  // 0.0-1.0
};

// nullopt: the call does not use the cache. A header with a bad value is a 400 naming it. A call
// that asks for `semantic` where no embedding model is configured is matched exactly.
Result<std::optional<CachePolicy>> DecideCachePolicy(const CacheHeaders& headers,
                                                     const config::RouteCacheConfig* route,
                                                     const config::CacheConfig& gateway);

}  // namespace switchyard::cache

// The YAML side of config/cache_config.h: the top-level `cache:` and a route's `cache:`.
#include <fmt/format.h>

#include "config/config_sections.h"

namespace switchyard::config {
namespace {

std::optional<double> ReadThreshold(const MapReader& reader) {
  const MapEntry* entry = reader.Find("threshold");
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  if (std::optional<double> threshold = ParseSimilarityThreshold(text)) return threshold;
  reader.Report(entry->line, fmt::format("{} must be a number from 0 to 1, e.g. 0.95 (got '{}')",
                                         reader.Field("threshold"),
                                         entry->value.IsScalar() ? text.substr(0, 40)
                                                                 : "a map or a list"));
  return std::nullopt;
}

std::optional<CacheScope> ReadScope(const MapReader& reader) {
  std::optional<std::string> scope = reader.OneOf("scope", {"key", "shared"});
  if (!scope) return std::nullopt;
  return *scope == "shared" ? CacheScope::kShared : CacheScope::kKey;
}

void LoadSemantic(const MapReader& cache, SemanticCacheConfig* semantic) {
  MapReader reader = cache.Child(
      "semantic", {"embedding_model", "threshold", "max_messages", "max_text_bytes", "max_vectors"});
  semantic->line = reader.line();
  if (auto model = reader.String("embedding_model")) semantic->embedding_model = std::move(*model);
  if (auto threshold = ReadThreshold(reader)) semantic->threshold = *threshold;
  if (auto messages = reader.Integer("max_messages", 1, 1000)) {
    semantic->max_messages = static_cast<int>(*messages);
  }
  if (auto bytes = reader.ByteSize("max_text_bytes")) semantic->max_text_bytes = *bytes;
  if (auto vectors = reader.Integer("max_vectors", 1, 100'000'000)) semantic->max_vectors = *vectors;
}

}  // namespace

void LoadCache(const MapReader& top, CacheConfig* cache) {
  MapReader reader = top.Child("cache", {"backend", "url", "max_bytes", "max_entry_bytes", "ttl_s",
                                         "scope", "key_prefix", "semantic"});
  if (const MapEntry* entry = top.Find("cache")) cache->line = entry->line;
  if (auto backend = reader.OneOf("backend", {"memory", "redis"})) cache->backend = *backend;
  if (auto url = reader.SecretValue("url")) cache->url = std::move(*url);
  if (cache->backend == "redis" && cache->url.empty()) {
    reader.Report(reader.Find("backend")->line,
                  "cache.backend redis needs cache.url (redis://[:PASSWORD@]HOST[:PORT][/DB])");
  }
  if (auto bytes = reader.ByteSize("max_bytes")) cache->max_bytes = *bytes;
  if (auto bytes = reader.ByteSize("max_entry_bytes")) cache->max_entry_bytes = *bytes;
  if (cache->max_entry_bytes > cache->max_bytes) {
    reader.Report(reader.line(), fmt::format("cache.max_entry_bytes ({}) must not be above "
                                             "cache.max_bytes ({})",
                                             cache->max_entry_bytes, cache->max_bytes));
  }
  if (auto ttl = reader.Integer("ttl_s", 1, kMaxCacheTtlSeconds)) cache->ttl_s = *ttl;
  if (auto scope = ReadScope(reader)) cache->scope = *scope;
  if (auto prefix = reader.String("key_prefix")) cache->key_prefix = std::move(*prefix);
  LoadSemantic(reader, &cache->semantic);
}

void LoadRouteCache(const MapReader& route, RouteCacheConfig* cache) {
  MapReader reader = route.Child("cache", {"mode", "ttl_s", "scope", "threshold", "tools"});
  if (!route.Has("cache")) return;
  cache->mode = CacheMode::kExact;  // `cache: {}` opts the route in
  if (auto mode = reader.OneOf("mode", {"off", "exact", "semantic"})) {
    cache->mode = *ParseCacheMode(*mode);
  }
  cache->ttl_s = reader.Integer("ttl_s", 1, kMaxCacheTtlSeconds);
  cache->scope = ReadScope(reader);
  cache->threshold = ReadThreshold(reader);
  if (auto tools = reader.OneOf("tools", {"true", "false"})) cache->tools = *tools == "true";
}

}  // namespace switchyard::config

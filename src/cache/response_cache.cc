#include "cache/response_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cache/memory_cache_store.h"
#include "cache/redis_cache_store.h"
#include "pricing/money.h"

namespace switchyard::cache {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<ResponseCache>> ResponseCache::Open(const config::CacheConfig& config) {
  std::unique_ptr<CacheStore> store;
  if (config.backend == "redis") {
    RedisCacheOptions options;
    options.prefix = config.key_prefix;
    options.max_entry_bytes = config.max_entry_bytes;
    auto redis = RedisCacheStore::Open(config.url, options);
    if (!redis) return std::move(redis).error();
    store = std::move(redis).value();
  } else {
    store = std::make_unique<MemoryCacheStore>(config.max_bytes, config.max_entry_bytes);
  }
  return std::make_unique<ResponseCache>(config, std::move(store));
}

ResponseCache::ResponseCache(const config::CacheConfig& config, std::unique_ptr<CacheStore> store)
    : config_(config), store_(std::move(store)) {  // index_ is made below
  if (config_.semantic.embedding_model.empty()) return;
  semantic::IndexLimits limits;
  limits.max_vectors = static_cast<std::size_t>(config_.semantic.max_vectors);
  index_ = std::make_unique<semantic::VectorIndex>(limits);
  // A shared store brings every instance's vectors (its retained history first).
  store_->Follow([index = index_.get()](SharedVector vector) {
    index->Add(vector.partition, vector.entry, vector.vector, vector.expires_ms);
  });
}

Task<std::optional<CacheEntry>> ResponseCache::Find(Digest key) {
  Result<std::optional<std::string>> bytes = co_await store_->Get(key);
  if (!bytes || !*bytes) co_return std::nullopt;  // unreachable: counted by the store
  Result<CacheEntry> entry = DecodeEntry(**bytes, config_.max_entry_bytes * 8);
  if (!entry) {
    ++corrupt_;
    co_return std::nullopt;
  }
  co_return std::move(entry).value();
}

Task<> ResponseCache::Store(const Digest& exact, const std::optional<Digest>& partition,
                            const CacheEntry& entry, std::chrono::seconds ttl,
                            std::span<const float> vector) {
  std::string bytes = EncodeEntry(entry);
  if (bytes.size() > config_.max_entry_bytes) co_return;  // the store counts it as too large
  const Status stored = co_await store_->Put(exact, std::move(bytes), ttl);
  if (!stored.ok()) co_return;
  ++writes_;
  if (!index_ || !partition || vector.empty()) co_return;
  const std::int64_t expires_ms =
      NowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
  SharedVector shared{*partition, exact, expires_ms, std::vector<float>(vector.begin(), vector.end())};
  store_->Announce(shared);
  if (!offload_) {
    index_->Add(shared.partition, shared.entry, shared.vector, shared.expires_ms);
    co_return;
  }
  offload_([index = index_.get(), shared = std::move(shared)] {
    index->Add(shared.partition, shared.entry, shared.vector, shared.expires_ms);
  });
}

std::optional<semantic::Match> ResponseCache::Nearest(const Digest& partition,
                                                      std::span<const float> vector,
                                                      double threshold) const {
  if (!index_) return std::nullopt;
  return index_->Nearest(partition, vector, static_cast<float>(threshold), NowMs());
}

void ResponseCache::CountHit(bool semantic, std::optional<std::int64_t> saved_nanos) {
  ++(semantic ? semantic_hits_ : hits_);
  if (saved_nanos) saved_nanos_ += *saved_nanos;
}

std::string ResponseCache::RenderMetrics() const {
  const StoreStats stats = store_->stats();
  std::string out;
  out += "# HELP switchyard_cache_lookups_total Calls that opted in to the response cache, by "
         "outcome.\n# TYPE switchyard_cache_lookups_total counter\n";
  out += fmt::format("switchyard_cache_lookups_total{{result=\"hit\"}} {}\n", hits_.load());
  out += fmt::format("switchyard_cache_lookups_total{{result=\"semantic-hit\"}} {}\n",
                     semantic_hits_.load());
  out += fmt::format("switchyard_cache_lookups_total{{result=\"miss\"}} {}\n", misses_.load());
  out += "# HELP switchyard_cache_saved_usd_total What answers from the cache would have cost.\n"
         "# TYPE switchyard_cache_saved_usd_total counter\n";
  out += fmt::format("switchyard_cache_saved_usd_total {}\n",
                     pricing::FormatUsd(saved_nanos_.load()));
  out += "# HELP switchyard_cache_writes_total Answers stored.\n"
         "# TYPE switchyard_cache_writes_total counter\n";
  out += fmt::format("switchyard_cache_writes_total {}\n", writes_.load());
  out += "# HELP switchyard_cache_evictions_total Entries dropped to stay within max_bytes.\n"
         "# TYPE switchyard_cache_evictions_total counter\n";
  out += fmt::format("switchyard_cache_evictions_total {}\n", std::max<std::int64_t>(0, stats.evictions));
  out += "# HELP switchyard_cache_errors_total Cache operations that failed, by reason.\n"
         "# TYPE switchyard_cache_errors_total counter\n";
  out += fmt::format("switchyard_cache_errors_total{{reason=\"unavailable\"}} {}\n",
                     stats.unavailable);
  out += fmt::format("switchyard_cache_errors_total{{reason=\"too_large\"}} {}\n", stats.too_large);
  out += fmt::format("switchyard_cache_errors_total{{reason=\"corrupt\"}} {}\n", corrupt_.load());
  if (stats.bytes >= 0) {
    out += "# HELP switchyard_cache_bytes Bytes the memory cache holds.\n"
           "# TYPE switchyard_cache_bytes gauge\n";
    out += fmt::format("switchyard_cache_bytes {}\n", stats.bytes);
    out += "# HELP switchyard_cache_entries Entries the memory cache holds.\n"
           "# TYPE switchyard_cache_entries gauge\n";
    out += fmt::format("switchyard_cache_entries {}\n", stats.entries);
  }
  out += "# HELP switchyard_cache_up Whether the cache's backend can be reached.\n"
         "# TYPE switchyard_cache_up gauge\n";
  out += fmt::format("switchyard_cache_up{{backend=\"{}\"}} {}\n", store_->name(),
                     store_->healthy() ? 1 : 0);
  if (index_) {
    const semantic::IndexStats index = index_->stats();
    out += "# HELP switchyard_cache_semantic_vectors Vectors in this instance's semantic index.\n"
           "# TYPE switchyard_cache_semantic_vectors gauge\n";
    out += fmt::format("switchyard_cache_semantic_vectors {}\n", index.vectors);
  }
  return out;
}

std::string ResponseCache::StatsJson() const {
  const StoreStats stats = store_->stats();
  std::string out = fmt::format(
      "{{\"backend\":\"{}\",\"up\":{},\"entries\":{},\"bytes\":{},\"max_bytes\":{},"
      "\"evictions\":{},\"too_large\":{},\"unavailable\":{},\"corrupt\":{},\"writes\":{},"
      "\"hits\":{},\"semantic_hits\":{},\"misses\":{},\"saved_usd\":{}",
      store_->name(), store_->healthy() ? "true" : "false",
      stats.entries < 0 ? "null" : std::to_string(stats.entries),
      stats.bytes < 0 ? "null" : std::to_string(stats.bytes), config_.max_bytes, stats.evictions,
      stats.too_large, stats.unavailable, corrupt_.load(), writes_.load(), hits_.load(),
      semantic_hits_.load(), misses_.load(), pricing::FormatUsd(saved_nanos_.load()));
  if (index_) {
    const semantic::IndexStats index = index_->stats();
    out += fmt::format(",\"semantic\":{{\"vectors\":{},\"partitions\":{},\"hnsw_partitions\":{}}}",
                       index.vectors, index.partitions, index.hnsw_partitions);
  }
  return out + "}";
}

}  // namespace switchyard::cache

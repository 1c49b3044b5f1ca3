// ResponseCache: the gateway's response cache (CONTRACT.md "Cache") as one object — the store of
// encoded entries (memory or Redis), the semantic index of this instance (fed by its own writes
// and, with a shared store, by every instance's), and the figures /metrics shows. It knows
// entries and digests; what a call's keys are (cache_key.h), when it reads or writes
// (cache_policy.h) and how an answer is replayed are the callers'.
//
// Thread-safe: every worker uses the one instance.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "cache/cache_entry.h"
#include "cache/cache_store.h"
#include "cache/semantic/vector_index.h"
#include "config/cache_config.h"
#include "core/asio.h"
#include "core/result.h"

namespace switchyard::cache {

class ResponseCache {
 public:
  // The store `config.backend` names (a Redis one does not connect yet) and, when the config has
  // a semantic embedding model, the index.
  static Result<std::unique_ptr<ResponseCache>> Open(const config::CacheConfig& config);
  ResponseCache(const config::CacheConfig& config, std::unique_ptr<CacheStore> store);

  // The entry under `key`, if a readable one is there. An unreachable backend or an entry that
  // cannot be decoded is a miss (counted; an undecodable entry is also dropped from the index).
  Task<std::optional<CacheEntry>> Find(Digest key);

  // Stores `entry` under `keys.exact` for `ttl`; with `vector`, indexes it in `keys.partition`
  // (and announces it to the other instances of a shared store). An entry above max_entry_bytes
  // encoded is not stored. Failures are counted, never the call's.
  Task<> Store(const Digest& exact, const std::optional<Digest>& partition, const CacheEntry& entry,
               std::chrono::seconds ttl, std::span<const float> vector);

  // Where Store indexes a vector: an Add can take long (the Add that brings a partition to
  // hnsw_from builds its graph, ~0.4 s), so the gateway hands it to its blocking pool rather than
  // hold a worker. Unset (tests, tools): inline, on the caller's thread.
  using Offload = std::function<void(std::function<void()>)>;
  void set_index_offload(Offload offload) { offload_ = std::move(offload); }

  // The entry digest most similar to `vector` in `partition`, at or above `threshold`.
  std::optional<semantic::Match> Nearest(const Digest& partition, std::span<const float> vector,
                                         double threshold) const;
  bool semantic_enabled() const { return index_ != nullptr; }

  // One call's outcome, for /metrics.
  void CountHit(bool semantic, std::optional<std::int64_t> saved_nanos);
  void CountMiss() { ++misses_; }

  // The cache's lines of /metrics (Prometheus text).
  std::string RenderMetrics() const;
  // GET /admin/cache: the backend, its figures, the calls' outcomes.
  std::string StatsJson() const;

  const config::CacheConfig& config() const { return config_; }
  const CacheStore& store() const { return *store_; }

 private:
  const config::CacheConfig config_;
  // The index outlives the store: a shared store's follower thread feeds the index until the
  // store's destructor has stopped it.
  std::unique_ptr<semantic::VectorIndex> index_;  // null without an embedding model
  std::unique_ptr<CacheStore> store_;
  Offload offload_;
  std::atomic<std::int64_t> hits_{0}, semantic_hits_{0}, misses_{0}, writes_{0}, corrupt_{0},
      saved_nanos_{0};
};

}  // namespace switchyard::cache

// CacheStore: where cached answers live — in this process (MemoryCacheStore, the embedded default)
// or in Redis (RedisCacheStore, shared by several gateways). A store keeps opaque bytes (an encoded
// cache_entry.h) under a fixed-size Digest with a lifetime; it knows nothing of requests or formats.
//
// Every operation may be called from any worker thread at the same time. An operation that cannot
// reach its backend fails (Error::Unavailable) quickly: the caller then goes on uncached.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/digest.h"
#include "core/asio.h"
#include "core/result.h"

namespace switchyard::cache {

// Cumulative figures since the store was made, for /metrics and GET /admin/cache.
struct StoreStats {
  std::int64_t entries = 0;     // held now (the memory store; -1 when the backend does not say)
  std::int64_t bytes = 0;       // held now, keys and bookkeeping included (-1: unknown)
  std::int64_t evictions = 0;   // entries dropped to stay within max_bytes
  std::int64_t too_large = 0;   // Puts refused: one entry above max_entry_bytes
  std::int64_t unavailable = 0; // operations that failed because the backend could not be reached
};

// A semantic entry's vector, as one instance announces it to the others (a shared store).
struct SharedVector {
  Digest partition;  // what a match may not cross (semantic_partition.h)
  Digest entry;      // the entry's key in the store
  std::int64_t expires_ms = 0;  // unix ms; the vector is dropped then
  std::vector<float> vector;    // unit length
};

class CacheStore {
 public:
  using Clock = std::chrono::system_clock;
  virtual ~CacheStore() = default;

  // The bytes stored under `key`, or nullopt when there are none (never stored, expired, evicted).
  virtual Task<Result<std::optional<std::string>>> Get(Digest key) = 0;
  // Stores `value` under `key` for `ttl`, replacing what was there.
  virtual Task<Status> Put(Digest key, std::string value, std::chrono::seconds ttl) = 0;

  // A shared store passes each semantic vector on to every instance that follows it (including,
  // possibly, this one: an index must take a vector it already holds without harm). Stores that
  // are not shared do nothing. Announce never waits for the backend.
  virtual void Announce(SharedVector /*vector*/) {}
  // Starts calling `on_vector` (from the store's own thread) with every vector the store still
  // retains (so an instance started later learns what the others announced before it), then with
  // every vector announced later, by any instance; expired ones are skipped. Call at most once.
  virtual void Follow(std::function<void(SharedVector)> /*on_vector*/) {}

  virtual StoreStats stats() const = 0;
  // False while the backend cannot be reached (for the switchyard_cache_up metric).
  virtual bool healthy() const { return true; }
  virtual std::string_view name() const = 0;  // "memory" | "redis"
};

}  // namespace switchyard::cache

// MemoryCacheStore: the embedded cache backend — entries in this process, bounded by bytes
// (`cache.max_bytes`), the least recently used evicted first, each with its own expiry.
//
// Sharded: a key's shard is fixed by its digest, each shard has its own lock, LRU list and an
// equal part of the byte bound, so workers on different keys rarely meet on one lock. Lookups
// and writes are O(1); nothing waits on I/O, so the Task interface completes at once.
// Thread-safe. The clock is injected (tests expire entries without waiting).
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>

#include "cache/cache_store.h"

namespace switchyard::cache {

class MemoryCacheStore final : public CacheStore {
 public:
  using NowMs = std::function<std::int64_t()>;  // unix milliseconds

  // `max_bytes` bounds what every entry holds together (its bytes, its key and bookkeeping);
  // a single entry above `max_entry_bytes` is not stored.
  MemoryCacheStore(std::uint64_t max_bytes, std::uint64_t max_entry_bytes, NowMs now = SystemNow);

  Task<Result<std::optional<std::string>>> Get(Digest key) override;
  Task<Status> Put(Digest key, std::string value, std::chrono::seconds ttl) override;
  StoreStats stats() const override;
  std::string_view name() const override { return "memory"; }

  // Synchronous forms of Get and Put (the Task versions call these).
  std::optional<std::string> Find(const Digest& key);
  bool Insert(const Digest& key, std::string value, std::chrono::seconds ttl);

  static std::int64_t SystemNow();

 private:
  static constexpr std::size_t kShards = 16;
  // What one entry costs beyond its value: the key, the list node, the map's slot.
  static constexpr std::uint64_t kOverhead = 128;

  struct Entry {
    Digest key;
    std::string value;
    std::int64_t expires_ms = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<Digest, std::list<Entry>::iterator, DigestHash> index;
    std::uint64_t bytes = 0;
  };

  Shard& ShardOf(const Digest& key) { return shards_[key.bytes[31] % kShards]; }
  void Erase(Shard& shard, std::list<Entry>::iterator it);

  const std::uint64_t shard_bytes_;
  const std::uint64_t max_entry_bytes_;
  const NowMs now_;
  std::array<Shard, kShards> shards_;
  std::atomic<std::int64_t> entries_{0};
  std::atomic<std::int64_t> bytes_{0};
  std::atomic<std::int64_t> evictions_{0};
  std::atomic<std::int64_t> too_large_{0};
};

}  // namespace switchyard::cache

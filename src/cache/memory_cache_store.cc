#include "cache/memory_cache_store.h"

namespace switchyard::cache {

MemoryCacheStore::MemoryCacheStore(std::uint64_t max_bytes, std::uint64_t max_entry_bytes,
                                   NowMs now)
    : shard_bytes_(max_bytes / kShards), max_entry_bytes_(max_entry_bytes), now_(std::move(now)) {}

std::int64_t MemoryCacheStore::SystemNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void MemoryCacheStore::Erase(Shard& shard, std::list<Entry>::iterator it) {
  const std::uint64_t size = it->value.size() + kOverhead;
  shard.bytes -= size;
  bytes_ -= static_cast<std::int64_t>(size);
  --entries_;
  shard.index.erase(it->key);
  shard.lru.erase(it);
}

std::optional<std::string> MemoryCacheStore::Find(const Digest& key) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) return std::nullopt;
  auto it = found->second;
  if (it->expires_ms <= now_()) {
    Erase(shard, it);
    return std::nullopt;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it);  // now the most recently used
  return it->value;
}

bool MemoryCacheStore::Insert(const Digest& key, std::string value, std::chrono::seconds ttl) {
  const std::uint64_t size = value.size() + kOverhead;
  if (value.size() > max_entry_bytes_ || size > shard_bytes_) {
    ++too_large_;
    return false;
  }
  const std::int64_t expires_ms =
      now_() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  if (auto found = shard.index.find(key); found != shard.index.end()) Erase(shard, found->second);
  while (shard.bytes + size > shard_bytes_ && !shard.lru.empty()) {
    Erase(shard, std::prev(shard.lru.end()));  // the least recently used
    ++evictions_;
  }
  shard.lru.push_front(Entry{key, std::move(value), expires_ms});
  shard.index.emplace(key, shard.lru.begin());
  shard.bytes += size;
  bytes_ += static_cast<std::int64_t>(size);
  ++entries_;
  return true;
}

Task<Result<std::optional<std::string>>> MemoryCacheStore::Get(Digest key) {
  co_return Find(key);
}

Task<Status> MemoryCacheStore::Put(Digest key, std::string value, std::chrono::seconds ttl) {
  Insert(key, std::move(value), ttl);  // too large: not stored, counted; not the caller's error
  co_return Status();
}

StoreStats MemoryCacheStore::stats() const {
  StoreStats stats;
  stats.entries = entries_.load();
  stats.bytes = bytes_.load();
  stats.evictions = evictions_.load();
  stats.too_large = too_large_.load();
  return stats;
}

}  // namespace switchyard::cache

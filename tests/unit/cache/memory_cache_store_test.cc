// The memory backend: LRU by bytes, expiry by an injected clock, entries above the bound refused.
#include "cache/memory_cache_store.h"

#include <gtest/gtest.h>

namespace switchyard::cache {
namespace {

Digest Key(int i) { return Digest::Of("key " + std::to_string(i)); }

// Every key lands in shard (last byte % 16); keys of one shard compete for one sixteenth of the
// bound. This finds `count` keys of shard 0.
std::vector<Digest> KeysOfOneShard(int count) {
  std::vector<Digest> keys;
  for (int i = 0; static_cast<int>(keys.size()) < count; ++i) {
    if (Key(i).bytes[31] % 16 == 0) keys.push_back(Key(i));
  }
  return keys;
}

struct FakeClock {
  std::int64_t now = 1'000'000;
  MemoryCacheStore::NowMs fn() { return [this] { return now; }; }
};

TEST(MemoryCacheStoreTest, RoundTripAndReplace) {
  FakeClock clock;
  MemoryCacheStore store(1 << 20, 1 << 16, clock.fn());
  EXPECT_FALSE(store.Find(Key(1)));
  EXPECT_TRUE(store.Insert(Key(1), "one", std::chrono::seconds(10)));
  EXPECT_EQ(store.Find(Key(1)), "one");
  EXPECT_TRUE(store.Insert(Key(1), "uno", std::chrono::seconds(10)));
  EXPECT_EQ(store.Find(Key(1)), "uno");
  EXPECT_EQ(store.stats().entries, 1);
}

TEST(MemoryCacheStoreTest, ExpiresByTheClock) {
  FakeClock clock;
  MemoryCacheStore store(1 << 20, 1 << 16, clock.fn());
  store.Insert(Key(1), "one", std::chrono::seconds(10));
  clock.now += 9'999;
  EXPECT_TRUE(store.Find(Key(1)));
  clock.now += 1;
  EXPECT_FALSE(store.Find(Key(1)));
  EXPECT_EQ(store.stats().entries, 0);
  EXPECT_EQ(store.stats().bytes, 0);
}

TEST(MemoryCacheStoreTest, EvictsTheLeastRecentlyUsedToHoldTheBound) {
  FakeClock clock;
  // 16 shards of 2048 bytes; entries of 1000 value bytes + 128 overhead: one per shard fits.
  MemoryCacheStore store(16 * 2048, 4096, clock.fn());
  const std::vector<Digest> keys = KeysOfOneShard(3);
  const std::string value(900, 'x');  // 1028 bytes each with overhead: one shard holds 1
  store.Insert(keys[0], value, std::chrono::seconds(60));
  store.Insert(keys[1], value, std::chrono::seconds(60));
  EXPECT_FALSE(store.Find(keys[0]));  // evicted
  EXPECT_TRUE(store.Find(keys[1]));
  EXPECT_EQ(store.stats().evictions, 1);
  EXPECT_LE(store.stats().bytes, 2048);
}

TEST(MemoryCacheStoreTest, ReadingAnEntryKeepsItFromEviction) {
  FakeClock clock;
  MemoryCacheStore store(16 * 4096, 4096, clock.fn());
  const std::vector<Digest> keys = KeysOfOneShard(3);
  const std::string value(1000, 'x');  // 1128 each: three fit in 4096, a fourth does not
  store.Insert(keys[0], value, std::chrono::seconds(60));
  store.Insert(keys[1], value, std::chrono::seconds(60));
  store.Insert(keys[2], value, std::chrono::seconds(60));
  EXPECT_TRUE(store.Find(keys[0]));  // now the most recently used
  const std::vector<Digest> more = KeysOfOneShard(4);
  store.Insert(more[3], value, std::chrono::seconds(60));
  EXPECT_TRUE(store.Find(keys[0]));
  EXPECT_FALSE(store.Find(keys[1]));  // the least recently used went
  EXPECT_TRUE(store.Find(keys[2]));
}

TEST(MemoryCacheStoreTest, AnEntryAboveTheBoundIsNotStored) {
  FakeClock clock;
  MemoryCacheStore store(1 << 20, 100, clock.fn());
  EXPECT_FALSE(store.Insert(Key(1), std::string(101, 'x'), std::chrono::seconds(60)));
  EXPECT_FALSE(store.Find(Key(1)));
  EXPECT_EQ(store.stats().too_large, 1);
}

TEST(MemoryCacheStoreTest, AFloodHoldsTheByteBound) {
  FakeClock clock;
  const std::uint64_t bound = 1 << 20;
  MemoryCacheStore store(bound, 64 << 10, clock.fn());
  for (int i = 0; i < 2000; ++i) store.Insert(Key(i), std::string(10'000, 'x'), std::chrono::seconds(60));
  EXPECT_LE(store.stats().bytes, static_cast<std::int64_t>(bound));
  EXPECT_GT(store.stats().evictions, 1800);
}

}  // namespace
}  // namespace switchyard::cache

// The shared response cache against a real redis-server (scripts/with-redis.sh; skipped without
// one): entries round-trip byte for byte with their TTL, oversized ones are refused, an unreachable
// or restarted Redis fails fast and is recovered from, and semantic vectors pass between two store
// instances through the stream (history included) while malformed messages are skipped and counted.
// Outcomes and order are asserted, never durations; waits are bounded only as a safety net.
#include "cache/redis_cache_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

#include "fakes/io_test_util.h"
#include "redis/redis_client.h"
#include "unit/redis/redis_test_util.h"

namespace switchyard::cache {
namespace {

using namespace std::chrono_literals;
using redis::Reply;
using redis::testing_util::Cmd;
using redis::testing_util::RedisServerProcess;
using redis::testing_util::RedisTestUrl;
using switchyard::testing::RunTask;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::int64_t InAnHour() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (CacheStore::Clock::now() + 1h).time_since_epoch())
      .count();
}

SharedVector Vector(std::string_view name, std::vector<float> floats) {
  return {Digest::Of(std::string("partition:") + std::string(name)),
          Digest::Of(std::string("entry:") + std::string(name)), InAnHour(), std::move(floats)};
}

void ExpectSameVector(const SharedVector& got, const SharedVector& want) {
  EXPECT_EQ(got.partition, want.partition);
  EXPECT_EQ(got.entry, want.entry);
  EXPECT_EQ(got.expires_ms, want.expires_ms);
  EXPECT_EQ(got.vector, want.vector);
}

// True once `done()` holds; polls from the test's thread (the bound is only a safety net).
template <class Predicate>
bool Eventually(Predicate done) {
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// What a Follow callback received, filled on the store's thread and read on the test's.
class Received {
 public:
  std::function<void(SharedVector)> Callback() {
    return [this](SharedVector vector) {
      std::lock_guard lock(mutex_);
      vectors_.push_back(std::move(vector));
      changed_.notify_all();
    };
  }
  // The first `count` vectors, once that many have arrived (fewer if they never do).
  std::vector<SharedVector> WaitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 20s, [&] { return vectors_.size() >= count; });
    return vectors_;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return vectors_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SharedVector> vectors_;
};

class RedisCacheStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RedisTestUrl().empty()) GTEST_SKIP() << "SWITCHYARD_TEST_REDIS_URL is not set";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // Fresh keys per run, so --gtest_repeat does not meet the stream of an earlier run.
    static int runs = 0;
    prefix_ = fmt::format("test:cache:{}-{}-{}:", info->name(), ::getpid(), runs++);
    raw_ = std::make_unique<redis::RedisClient>(
        io_.get_executor(), redis::testing_util::ParseTestUrl(RedisTestUrl()));
  }

  RedisCacheOptions Options() const {
    RedisCacheOptions options;
    options.prefix = prefix_;
    options.follow_interval = 20ms;
    options.client.reconnect_backoff = 20ms;
    options.client.max_reconnect_backoff = 100ms;
    return options;
  }

  static std::unique_ptr<RedisCacheStore> Open(const std::string& url, RedisCacheOptions options) {
    auto store = RedisCacheStore::Open(Secret(url), std::move(options));
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<RedisCacheStore> Open() const { return Open(RedisTestUrl(), Options()); }

  // Runs `task` on the test's io_context (a worker's executor) and returns its outcome.
  template <class T>
  T Await(Task<T> task) {
    std::optional<T> out;
    RunTask(io_, [&]() -> Task<void> { out.emplace(co_await std::move(task)); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  // A command on a plain client of the shared server, for what the store does not do itself.
  Result<Reply> Raw(std::vector<std::string> args) {
    return Await(raw_->Command(std::move(args)));
  }

  net::io_context io_;
  std::string prefix_;
  std::unique_ptr<redis::RedisClient> raw_;
};

TEST_F(RedisCacheStoreTest, PutThenGetRoundTrips) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const Digest key = Digest::Of("round trip");
  Status put = Await(store->Put(key, "an answer", 60s));
  ASSERT_TRUE(put.ok()) << put.error().message;
  Result<std::optional<std::string>> got = Await(store->Get(key));
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, "an answer");
  EXPECT_TRUE(store->healthy());
  EXPECT_EQ(store->name(), "redis");
  const StoreStats stats = store->stats();
  EXPECT_EQ(stats.entries, -1);
  EXPECT_EQ(stats.bytes, -1);
  EXPECT_EQ(stats.unavailable, 0);
  // Under the prefix, by the digest's hex.
  Result<Reply> exists = Raw(Cmd("EXISTS", prefix_ + "e:" + key.Hex()));
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer(), 1);
}

TEST_F(RedisCacheStoreTest, BinaryValueKeepsEveryByte) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::string value;
  for (int round = 0; round < 3; ++round) {
    for (int byte = 0; byte < 256; ++byte) value.push_back(static_cast<char>(byte));
  }
  value += std::string("\0\r\n$-1\r\n*3\r\n", 12);  // NULs and RESP framing inside the value
  const Digest key = Digest::Of("binary");
  ASSERT_TRUE(Await(store->Put(key, value, 60s)).ok());
  Result<std::optional<std::string>> got = Await(store->Get(key));
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(got->value().size(), value.size());
  EXPECT_TRUE(**got == value);
  Result<Reply> length = Raw(Cmd("STRLEN", store->EntryKey(key)));
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->integer(), static_cast<long long>(value.size()));
}

TEST_F(RedisCacheStoreTest, MissingKeyIsNullopt) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Result<std::optional<std::string>> got = Await(store->Get(Digest::Of("never stored")));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_FALSE(got->has_value());
}

TEST_F(RedisCacheStoreTest, PutSetsTheTtlInMilliseconds) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const Digest key = Digest::Of("ttl");
  ASSERT_TRUE(Await(store->Put(key, "v", 120s)).ok());
  Result<Reply> ttl = Raw(Cmd("PTTL", store->EntryKey(key)));
  ASSERT_TRUE(ttl.ok());
  EXPECT_LE(ttl->integer(), 120000);
  EXPECT_GT(ttl->integer(), 60000);  // set, in ms, and not a few seconds
}

TEST_F(RedisCacheStoreTest, PutReplacesTheValueAndItsTtl) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const Digest key = Digest::Of("replace");
  ASSERT_TRUE(Await(store->Put(key, "first", 100s)).ok());
  ASSERT_TRUE(Await(store->Put(key, "second", 3000s)).ok());
  Result<std::optional<std::string>> got = Await(store->Get(key));
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, "second");
  Result<Reply> ttl = Raw(Cmd("PTTL", store->EntryKey(key)));
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer(), 1000000);
}

TEST_F(RedisCacheStoreTest, TtlUnderASecondIsRefusedUnsent) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const Digest key = Digest::Of("zero ttl");
  Status put = Await(store->Put(key, "v", 0s));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().kind, ErrorKind::kInternal);
  Result<Reply> exists = Raw(Cmd("EXISTS", store->EntryKey(key)));
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer(), 0);
}

TEST_F(RedisCacheStoreTest, EntryOverMaxEntryBytesIsRefusedAndCounted) {
  RedisCacheOptions options = Options();
  options.max_entry_bytes = 16;
  auto store = Open(RedisTestUrl(), options);
  ASSERT_NE(store, nullptr);
  const Digest big = Digest::Of("big");
  Status refused = Await(store->Put(big, std::string(17, 'x'), 60s));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(store->stats().too_large, 1);
  Result<Reply> exists = Raw(Cmd("EXISTS", store->EntryKey(big)));
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer(), 0);
  EXPECT_TRUE(Await(store->Put(Digest::Of("fits"), std::string(16, 'x'), 60s)).ok());
  EXPECT_EQ(store->stats().too_large, 1);
  EXPECT_EQ(store->stats().unavailable, 0);
}

TEST(RedisCacheStoreOpenTest, BadUrlOrOptionsAreConfigErrorsThatQuoteNoPassword) {
  auto bad_url = RedisCacheStore::Open(Secret("rediss://:pw-Hidden-1@host:6379"), {});
  ASSERT_FALSE(bad_url.ok());
  EXPECT_EQ(bad_url.error().kind, ErrorKind::kConfig);
  EXPECT_FALSE(Contains(bad_url.error().message, "pw-Hidden-1")) << bad_url.error().message;
  RedisCacheOptions no_prefix;
  no_prefix.prefix = "";
  auto refused = RedisCacheStore::Open(Secret("redis://127.0.0.1:1"), no_prefix);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kConfig);
  RedisCacheOptions no_interval;
  no_interval.follow_interval = 0ms;
  EXPECT_FALSE(RedisCacheStore::Open(Secret("redis://127.0.0.1:1"), no_interval).ok());
}

// Needs no server: nothing listens on the port.
TEST(RedisCacheStoreUnreachableTest, UnreachableFailsFastAsUnavailableAndCounts) {
  RedisCacheOptions options;
  options.client.reconnect_backoff = 60s;  // the later operations certainly fall inside it
  const std::string password = "pw-Not-For-Logs-42";
  auto opened = RedisCacheStore::Open(
      Secret("redis://:" + password + "@127.0.0.1:" +
             std::to_string(redis::testing_util::FreeLoopbackPort())),
      options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::unique_ptr<RedisCacheStore> store = std::move(opened).value();
  net::io_context io;
  RunTask(io, [&]() -> Task<void> {
    Result<std::optional<std::string>> got = co_await store->Get(Digest::Of("k"));
    EXPECT_FALSE(got.ok());
    if (!got.ok()) {
      EXPECT_EQ(got.error().kind, ErrorKind::kUnavailable);
      EXPECT_TRUE(Contains(got.error().message, "127.0.0.1:")) << got.error().message;
      EXPECT_FALSE(Contains(got.error().message, password)) << got.error().message;
    }
    Status put = co_await store->Put(Digest::Of("k"), "v", 60s);
    EXPECT_FALSE(put.ok());
    if (!put.ok()) {
      EXPECT_EQ(put.error().kind, ErrorKind::kUnavailable);
      EXPECT_TRUE(Contains(put.error().message, "next connect in")) << put.error().message;
    }
  });
  EXPECT_EQ(store->stats().unavailable, 2);
  EXPECT_FALSE(store->healthy());
  store->Announce(Vector("a", {1.0f}));
  ASSERT_TRUE(Eventually([&] { return store->vector_stats().announce_failed == 1; }));
  EXPECT_EQ(store->stats().unavailable, 3);
  EXPECT_EQ(store->vector_stats().announced, 0);
}

TEST_F(RedisCacheStoreTest, RestartedServerIsRecoveredFromByItself) {
  RedisServerProcess server;
  ASSERT_TRUE(server.Start());
  auto store = Open(server.url(), Options());
  ASSERT_NE(store, nullptr);
  const Digest key = Digest::Of("restart");
  ASSERT_TRUE(Await(store->Put(key, "before", 60s)).ok());
  EXPECT_TRUE(store->healthy());
  server.Kill();
  Result<std::optional<std::string>> during = Await(store->Get(key));
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.error().kind, ErrorKind::kUnavailable);
  EXPECT_FALSE(store->healthy());
  EXPECT_GE(store->stats().unavailable, 1);
  ASSERT_TRUE(server.Start());
  // Fails fast until the backoff passes, then reconnects; the data is gone (no persistence).
  std::optional<Result<std::optional<std::string>>> after;
  for (int attempt = 0; attempt < 200; ++attempt) {
    after.emplace(Await(store->Get(key)));
    if (after->ok()) break;
    EXPECT_EQ(after->error().kind, ErrorKind::kUnavailable);
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(after->ok());
  EXPECT_FALSE(after->value().has_value());
  EXPECT_TRUE(store->healthy());
  ASSERT_TRUE(Await(store->Put(key, "after", 60s)).ok());
  Result<std::optional<std::string>> got = Await(store->Get(key));
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, "after");
}

// Workers call the store from many threads at once.
TEST_F(RedisCacheStoreTest, WorkersOnManyThreadsShareOneStore) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> matched{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      net::io_context io;
      net::co_spawn(
          io,
          [&, t]() -> Task<void> {
            for (int i = 0; i < kPerThread; ++i) {
              const std::string name = fmt::format("worker {} entry {}", t, i);
              Status put = co_await store->Put(Digest::Of(name), name, 60s);
              Result<std::optional<std::string>> got = co_await store->Get(Digest::Of(name));
              if (put.ok() && got.ok() && got->has_value() && **got == name) ++matched;
            }
          },
          [](std::exception_ptr) {});
      io.run();
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(matched.load(), kThreads * kPerThread);
  EXPECT_EQ(store->stats().unavailable, 0);
}

TEST_F(RedisCacheStoreTest, AnnouncedVectorReachesAnotherInstance) {
  auto announcer = Open();
  auto follower = Open();
  ASSERT_NE(announcer, nullptr);
  ASSERT_NE(follower, nullptr);
  Received received;
  follower->Follow(received.Callback());
  const SharedVector sent = Vector("shared", {0.5f, -0.25f, 1e-30f, -0.0f, 3.4e38f});
  announcer->Announce(sent);
  std::vector<SharedVector> got = received.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  ExpectSameVector(got[0], sent);
  // The follower may read the message before the announcer's thread has counted its reply.
  EXPECT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 1; }));
  EXPECT_EQ(follower->vector_stats().received, 1);
  EXPECT_EQ(follower->vector_stats().malformed, 0);
  // The floats are stored as little-endian IEEE-754 bytes.
  Result<Reply> stream = Raw(Cmd("XRANGE", announcer->stream_key(), "-", "+"));
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->elements().size(), 1u);
  const std::vector<Reply>& fields = stream->elements()[0].elements()[1].elements();
  ASSERT_EQ(fields.size(), 8u);
  EXPECT_EQ(fields[6].text(), "v");
  EXPECT_EQ(fields[7].text().substr(0, 4), std::string("\x00\x00\x00\x3f", 4));  // 0.5f
}

TEST_F(RedisCacheStoreTest, FollowDeliversTheRetainedHistoryInOrder) {
  auto announcer = Open();
  ASSERT_NE(announcer, nullptr);
  const std::vector<SharedVector> sent = {Vector("one", {1.0f, 0.0f}), Vector("two", {0.0f, 1.0f}),
                                          Vector("three", {0.6f, 0.8f})};
  for (const SharedVector& vector : sent) announcer->Announce(vector);
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 3; }));
  // Started after the announces: it still learns all three, in the order they were announced.
  auto follower = Open();
  ASSERT_NE(follower, nullptr);
  Received received;
  follower->Follow(received.Callback());
  std::vector<SharedVector> got = received.WaitFor(3);
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < sent.size(); ++i) ExpectSameVector(got[i], sent[i]);
}

TEST_F(RedisCacheStoreTest, MalformedAndExpiredMessagesAreSkippedAndCounted) {
  auto follower = Open();
  ASSERT_NE(follower, nullptr);
  const std::string stream = follower->stream_key();
  const std::string hex = Digest::Of("x").Hex();
  const std::string one(std::string("\x00\x00\x80\x3f", 4));  // 1.0f
  const std::string nan(std::string("\x00\x00\xc0\x7f", 4));
  const std::string inf(std::string("\x00\x00\x80\x7f", 4));
  const std::vector<std::vector<std::string>> junk = {
      Cmd("XADD", stream, "*", "p", hex),                                          // field count
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "1", "v", one, "y", "1"),  // field count
      Cmd("XADD", stream, "*", "p", "zz", "e", hex, "x", "99999999999999", "v", one),   // bad hex
      Cmd("XADD", stream, "*", "p", hex.substr(1), "e", hex, "x", "99999999999999", "v", one),
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "soon", "v", one),         // bad expiry
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "99999999999999", "v", "abcde"),  // 5 B
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "99999999999999", "v", ""),       // empty
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "99999999999999", "v", one + nan),
      Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "99999999999999", "v", inf),
      Cmd("XADD", stream, "*", "p", hex, "p", hex, "x", "99999999999999", "v", one),   // repeated
      Cmd("XADD", stream, "*", "q", hex, "e", hex, "x", "99999999999999", "v", one),   // unknown
  };
  for (const auto& command : junk) ASSERT_TRUE(Raw(command).ok());
  Result<Reply> expired = Raw(Cmd("XADD", stream, "*", "p", hex, "e", hex, "x", "1", "v", one));
  ASSERT_TRUE(expired.ok());
  const SharedVector good = Vector("good", {1.0f});
  auto announcer = Open();
  ASSERT_NE(announcer, nullptr);
  announcer->Announce(good);
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 1; }));

  Received received;
  follower->Follow(received.Callback());
  std::vector<SharedVector> got = received.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  ExpectSameVector(got[0], good);
  const SharedVectorStats stats = follower->vector_stats();
  EXPECT_EQ(stats.malformed, static_cast<std::int64_t>(junk.size()));
  EXPECT_EQ(stats.expired, 1);
  EXPECT_EQ(stats.received, 1);
  // And it goes on after them: a later vector arrives too.
  const SharedVector later = Vector("later", {0.0f, 1.0f});
  announcer->Announce(later);
  got = received.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  ExpectSameVector(got[1], later);
}

// A message too large for one reply (max_reply_bytes) is stepped over, not read again and again.
TEST_F(RedisCacheStoreTest, MessageOverMaxReplyBytesIsSkipped) {
  RedisCacheOptions options = Options();
  options.max_entry_bytes = 1024;
  options.client.max_reply_bytes = 16 * 1024;
  auto follower = Open(RedisTestUrl(), options);
  auto announcer = Open();
  ASSERT_NE(follower, nullptr);
  ASSERT_NE(announcer, nullptr);
  const SharedVector first = Vector("before", {1.0f});
  announcer->Announce(first);
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 1; }));
  announcer->Announce(Vector("huge", std::vector<float>(16 * 1024, 0.01f)));  // 64 KB
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 2; }));
  const SharedVector after = Vector("after", {0.0f, 1.0f});
  announcer->Announce(after);
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 3; }));
  Received received;
  follower->Follow(received.Callback());
  std::vector<SharedVector> got = received.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  ExpectSameVector(got[0], first);
  ExpectSameVector(got[1], after);
  EXPECT_EQ(follower->vector_stats().malformed, 1);
}

TEST_F(RedisCacheStoreTest, AnnouncesBeyondTheBoundAreDroppedAndCounted) {
  RedisCacheOptions options = Options();
  options.max_pending_announces = 0;
  auto store = Open(RedisTestUrl(), options);
  ASSERT_NE(store, nullptr);
  store->Announce(Vector("dropped", {1.0f}));
  EXPECT_EQ(store->vector_stats().announce_dropped, 1);
  Result<Reply> length = Raw(Cmd("XLEN", store->stream_key()));
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->integer(), 0);
}

// Announces, then waits until one was taken by Redis (one sent during the backoff fails; send
// again).
void AnnounceUntilAccepted(RedisCacheStore& store, const SharedVector& vector) {
  for (int attempt = 0; attempt < 400; ++attempt) {
    const SharedVectorStats before = store.vector_stats();
    store.Announce(vector);
    ASSERT_TRUE(Eventually([&] {
      const SharedVectorStats now = store.vector_stats();
      return now.announced + now.announce_failed > before.announced + before.announce_failed;
    }));
    if (store.vector_stats().announced > before.announced) return;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "no announce was accepted";
}

// Follow keeps polling through an outage and goes on after the last message it saw, also when the
// stream it knew is gone (trimmed away, or lost with the server).
TEST_F(RedisCacheStoreTest, FollowSurvivesARestartAndATrimmedStream) {
  RedisServerProcess server;
  ASSERT_TRUE(server.Start());
  auto announcer = Open(server.url(), Options());
  auto follower = Open(server.url(), Options());
  ASSERT_NE(announcer, nullptr);
  ASSERT_NE(follower, nullptr);
  Received received;
  follower->Follow(received.Callback());
  const SharedVector first = Vector("first", {1.0f});
  AnnounceUntilAccepted(*announcer, first);
  ASSERT_EQ(received.WaitFor(1).size(), 1u);

  server.Kill();
  std::this_thread::sleep_for(100ms);  // a few polls fail meanwhile (not asserted on)
  ASSERT_TRUE(server.Start());
  const SharedVector second = Vector("second", {0.0f, 1.0f});
  AnnounceUntilAccepted(*announcer, second);
  ASSERT_EQ(received.WaitFor(2).size(), 2u);

  // Trimmed past the follower's last id: it just goes on with what comes next.
  redis::RedisClient raw(io_.get_executor(), redis::testing_util::ParseTestUrl(server.url()));
  Result<Reply> trimmed = Await(raw.Command(Cmd("XTRIM", announcer->stream_key(), "MAXLEN", "0")));
  ASSERT_TRUE(trimmed.ok());
  const SharedVector third = Vector("third", {0.6f, 0.8f});
  AnnounceUntilAccepted(*announcer, third);
  std::vector<SharedVector> got = received.WaitFor(3);
  ASSERT_EQ(got.size(), 3u);
  ExpectSameVector(got[0], first);
  ExpectSameVector(got[1], second);
  ExpectSameVector(got[2], third);
  EXPECT_EQ(follower->vector_stats().malformed, 0);
}

// The destructor stops the thread while Follow polls and announces are in flight; no callback runs
// after it returns.
TEST_F(RedisCacheStoreTest, DestroyingAFollowingStoreStopsItsCallbacks) {
  auto announcer = Open();
  ASSERT_NE(announcer, nullptr);
  std::atomic<bool> destroyed{false};
  std::atomic<int> late_calls{0};
  std::atomic<int> calls{0};
  {
    auto follower = Open();
    ASSERT_NE(follower, nullptr);
    follower->Follow([&](SharedVector) {
      if (destroyed) ++late_calls;
      ++calls;
    });
    for (int i = 0; i < 50; ++i) announcer->Announce(Vector(fmt::format("v{}", i), {1.0f}));
    ASSERT_TRUE(Eventually([&] { return calls.load() > 0; }));
    for (int i = 0; i < 50; ++i) follower->Announce(Vector(fmt::format("w{}", i), {1.0f}));
  }
  destroyed = true;
  ASSERT_TRUE(Eventually([&] { return announcer->vector_stats().announced == 50; }));
  EXPECT_EQ(late_calls.load(), 0);
}

}  // namespace
}  // namespace switchyard::cache

// RedisCacheStore: the CacheStore that several gateways share (`cache: { backend: redis }`).
//
//   {prefix}e:{hex digest}   an entry's bytes (SET ... PX ttl: Redis drops it when it expires, and
//                            evicts under its own maxmemory policy)
//   {prefix}vectors          a stream of semantic vectors (XADD MAXLEN ~ max_stream_length), one
//                            message per entry: p (partition hex), e (entry hex), x (expiry, unix
//                            ms), v (the floats as little-endian IEEE-754 bytes)
//
// The client runs on the store's own I/O thread; workers hand each Get and Put over to it and await
// the answer, so no worker ever blocks on Redis (Follow reads on a second connection of its own).
// When Redis cannot be reached an operation fails fast (RedisClient's backoff) with
// Error::Unavailable, counted in stats().unavailable and logged at most once per 10 s; the next
// operation after the backoff reconnects by itself.
//
// Announce hands the XADD to the I/O thread and returns at once (at most max_pending_announces in
// flight; beyond that a vector is dropped and counted). Follow polls the stream every
// follow_interval from its beginning, so a newly started instance learns every retained vector,
// then everything announced later; it keeps polling through an outage and goes on after the last
// message it saw. Messages are hostile input: a malformed one is counted and skipped.
//
// Thread-safety: every public method may be called from any thread at once. Ownership: the store
// owns its thread, io_context and client. Destroy it only once no Get or Put is awaiting it (the
// gateway has stopped taking calls): the destructor stops the I/O thread and abandons what was in
// flight; no Follow callback runs once it has returned.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cache/cache_store.h"
#include "core/secret.h"
#include "http/server/connection_gate.h"
#include "redis/redis_client.h"
#include "redis/redis_options.h"

namespace switchyard::cache {

struct RedisCacheOptions {
  std::string prefix = "sy:cache:";         // every key and the vector stream live under it
  std::size_t max_entry_bytes = 4 << 20;    // a Put above it is refused (stats().too_large)
  std::size_t max_stream_length = 100000;   // XADD MAXLEN ~ this
  std::chrono::milliseconds follow_interval{250};  // how often Follow polls the stream
  std::size_t max_pending_announces = 1024;  // Announce drops (and counts) beyond this many
  // The client's bounds (timeouts, backoff, max_pending). Its max_reply_bytes is raised to hold the
  // largest entry a Get may read back (max_entry_bytes and a little framing) when it is below that.
  redis::RedisOptions client = {};
};

// What happened to semantic vectors, since the store was made (for /metrics and tests).
struct SharedVectorStats {
  std::int64_t announced = 0;         // XADDs Redis accepted
  std::int64_t announce_dropped = 0;  // not sent: max_pending_announces were in flight
  std::int64_t announce_failed = 0;   // sent, and failed (unreachable, or an error reply)
  std::int64_t received = 0;          // passed to Follow's callback
  std::int64_t expired = 0;           // read from the stream already expired, skipped
  std::int64_t malformed = 0;         // read from the stream and unusable, skipped
};

class RedisCacheStore : public CacheStore {
 public:
  // Parses `url` (it may hold a password: no message quotes it) and starts the I/O thread; does
  // not connect yet (the first operation does). Error::Config for a bad URL or bad options.
  static Result<std::unique_ptr<RedisCacheStore>> Open(const Secret& url,
                                                       RedisCacheOptions options);
  ~RedisCacheStore() override;
  RedisCacheStore(const RedisCacheStore&) = delete;
  RedisCacheStore& operator=(const RedisCacheStore&) = delete;

  // GET; nil is nullopt. Error::Unavailable when Redis cannot be reached or answers an error.
  Task<Result<std::optional<std::string>>> Get(Digest key) override;
  // SET PX; Error::PayloadTooLarge above max_entry_bytes (not sent), Error::Internal for a ttl
  // under 1 s (a caller's bug: Redis refuses PX 0), Error::Unavailable as for Get.
  Task<Status> Put(Digest key, std::string value, std::chrono::seconds ttl) override;

  void Announce(SharedVector vector) override;
  // Calls `on_vector` on the store's I/O thread; a second call is ignored (and logged).
  void Follow(std::function<void(SharedVector)> on_vector) override;

  // entries and bytes -1 (Redis holds other data too), evictions 0 (Redis evicts on its own).
  StoreStats stats() const override;
  SharedVectorStats vector_stats() const;
  // The client's healthy() as of its last command (read here from any thread: the client itself
  // may only be touched on the I/O thread).
  bool healthy() const override { return healthy_.load(std::memory_order_relaxed); }
  std::string_view name() const override { return "redis"; }

  // The keys this store uses, for tests and operators' tools.
  std::string EntryKey(const Digest& key) const { return options_.prefix + "e:" + key.Hex(); }
  const std::string& stream_key() const { return stream_key_; }

 private:
  RedisCacheStore(redis::RedisUrl url, RedisCacheOptions options);

  // Runs `args` on the I/O thread and brings its reply back to the caller's executor; a transport
  // failure is counted and logged, an error reply becomes Error::Unavailable.
  Task<Result<redis::Reply>> Run(std::vector<std::string> args);
  Task<std::optional<Result<redis::Reply>>> RunHere(std::vector<std::string> args);
  Task<void> AnnounceHere(std::vector<std::string> args);

  // Follow's loop and its parts; all on the I/O thread.
  Task<void> FollowLoop(std::function<void(SharedVector)> on_vector);
  Task<void> ReadNewMessages(const std::function<void(SharedVector)>& on_vector);
  Task<bool> SkipOversizedMessage();
  void Deliver(const redis::Reply& message, std::int64_t now_ms,
               const std::function<void(SharedVector)>& on_vector);
  std::string ReadStart() const;

  void NoteUnavailable(const Error& error);
  void NoteFollowFailure(const Error& error);

  const RedisCacheOptions options_;
  const std::string stream_key_;
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  redis::RedisClient client_;  // Get, Put, Announce
  // Follow's own connection: a batch of vectors (up to megabytes) does not hold up the Gets queued
  // behind it on a pipelined connection, and a batch over max_reply_bytes, which closes its
  // connection, fails none of them.
  redis::RedisClient follow_client_;

  std::atomic<std::int64_t> too_large_{0};
  std::atomic<std::int64_t> unavailable_{0};
  std::atomic<std::size_t> announces_in_flight_{0};
  std::atomic<std::int64_t> announced_{0};
  std::atomic<std::int64_t> announce_dropped_{0};
  std::atomic<std::int64_t> announce_failed_{0};
  std::atomic<std::int64_t> received_{0};
  std::atomic<std::int64_t> expired_{0};
  std::atomic<std::int64_t> malformed_{0};
  std::atomic<bool> following_{false};
  std::atomic<bool> healthy_{false};  // false until the first command connects
  http::LogThrottle unavailable_log_{std::chrono::seconds(10)};
  http::LogThrottle follow_log_{std::chrono::seconds(10)};
  http::LogThrottle announce_log_{std::chrono::seconds(10)};
  http::LogThrottle malformed_log_{std::chrono::seconds(10)};

  // Follow's position, on the I/O thread only: the last message id delivered or skipped (empty:
  // from the beginning), and how many messages one XRANGE asks for (halved when a reply is over
  // the client's max_reply_bytes, grown back after full batches).
  std::string last_id_;
  std::size_t batch_;

  std::thread thread_;  // last: starts once everything it uses is made
};

}  // namespace switchyard::cache

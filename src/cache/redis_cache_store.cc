#include "cache/redis_cache_store.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "redis/script.h"

namespace switchyard::cache {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxBatch = 1000;     // messages one XRANGE asks for, at most
constexpr std::size_t kReplyFraming = 1024;  // bytes around an entry's value in a GET reply
// A longer ttl is stored as this: nobody means a cached answer to outlive a decade, and seconds
// beyond it could overflow as milliseconds.
constexpr std::chrono::seconds kMaxTtl = std::chrono::hours(24 * 365 * 10);
constexpr std::size_t kMaxQuotedReply = 200;  // bytes of a Redis error reply quoted in a message

std::string Quoted(std::string_view text) {
  return std::string(text.substr(0, kMaxQuotedReply));
}

// The bytes of `floats`, each as its IEEE-754 bits in little-endian order (whatever this host's).
std::string EncodeFloats(const std::vector<float>& floats) {
  std::string bytes(floats.size() * 4, '\0');
  for (std::size_t i = 0; i < floats.size(); ++i) {
    const auto bits = std::bit_cast<std::uint32_t>(floats[i]);
    for (int b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return bytes;
}

// The inverse of EncodeFloats; nullopt unless `bytes` is a whole, non-empty number of finite floats.
std::optional<std::vector<float>> DecodeFloats(std::string_view bytes) {
  if (bytes.empty() || bytes.size() % 4 != 0) return std::nullopt;
  std::vector<float> floats(bytes.size() / 4);
  for (std::size_t i = 0; i < floats.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) {
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[4 * i + b])) << (8 * b);
    }
    floats[i] = std::bit_cast<float>(bits);
    if (!std::isfinite(floats[i])) return std::nullopt;
  }
  return floats;
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A stream id as Redis makes them, "MS-SEQ": only such an id may go into the next XRANGE, where
// anything else would make every later read fail.
bool IsStreamId(std::string_view id) {
  const std::size_t dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == id.size() || id.size() > 41) {
    return false;
  }
  auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(id.substr(0, dash)) && digits(id.substr(dash + 1));
}

// A message's fields, [p, P, e, E, x, X, v, V] in any order, as a SharedVector; nullopt for
// anything else (another field count, a repeated or unknown field, bad hex, a bad number, a vector
// that is not whole finite floats).
std::optional<SharedVector> DecodeMessage(const redis::Reply& fields_reply) {
  auto fields = fields_reply.AsArray();
  if (!fields || fields->size() != 8) return std::nullopt;
  std::optional<std::string_view> p, e, x, v;
  for (std::size_t i = 0; i < fields->size(); i += 2) {
    auto name = (*fields)[i].AsString();
    auto value = (*fields)[i + 1].AsString();
    if (!name || !value) return std::nullopt;
    std::optional<std::string_view>* slot = *name == "p"   ? &p
                                            : *name == "e" ? &e
                                            : *name == "x" ? &x
                                            : *name == "v" ? &v
                                                           : nullptr;
    if (slot == nullptr || slot->has_value()) return std::nullopt;
    *slot = *value;
  }
  SharedVector out;
  if (!Digest::FromHex(*p, out.partition) || !Digest::FromHex(*e, out.entry)) return std::nullopt;
  std::optional<std::int64_t> expires = ParseInt64(*x);
  std::optional<std::vector<float>> vector = DecodeFloats(*v);
  if (!expires || !vector) return std::nullopt;
  out.expires_ms = *expires;
  out.vector = std::move(*vector);
  return out;
}

// The id of the first message after `start` (an XRANGE start), without its fields: how Follow
// steps over a message too large to read.
const redis::Script& NextIdScript() {
  static const redis::Script script(
      "local m = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', 1)\n"
      "if #m == 0 then return false end\n"
      "return m[1][1]\n");
  return script;
}

bool IsOversizedReply(const Error& error) {
  return error.message.find("max_reply_bytes") != std::string::npos;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             CacheStore::Clock::now().time_since_epoch())
      .count();
}

redis::RedisOptions ClientOptions(const RedisCacheOptions& options) {
  redis::RedisOptions client = options.client;
  client.max_reply_bytes = std::max(client.max_reply_bytes, options.max_entry_bytes + kReplyFraming);
  return client;
}

Status Validate(const RedisCacheOptions& options) {
  if (options.prefix.empty()) return Error::Config("cache.redis: the key prefix may not be empty");
  if (options.follow_interval <= 0ms) {
    return Error::Config("cache.redis: follow_interval must be positive");
  }
  if (options.max_stream_length == 0) {
    return Error::Config("cache.redis: max_stream_length must be positive");
  }
  return Status();
}

}  // namespace

Result<std::unique_ptr<RedisCacheStore>> RedisCacheStore::Open(const Secret& url,
                                                               RedisCacheOptions options) {
  Status valid = Validate(options);
  if (!valid.ok()) return valid.error();
  auto parsed = redis::RedisUrl::Parse(url.reveal());
  if (!parsed) return std::move(parsed).error();
  return std::unique_ptr<RedisCacheStore>(
      new RedisCacheStore(std::move(parsed).value(), std::move(options)));
}

RedisCacheStore::RedisCacheStore(redis::RedisUrl url, RedisCacheOptions options)
    : options_(std::move(options)),
      stream_key_(options_.prefix + "vectors"),
      work_(net::make_work_guard(io_)),
      client_(io_.get_executor(), url, ClientOptions(options_)),
      follow_client_(io_.get_executor(), std::move(url), ClientOptions(options_)),
      batch_(kMaxBatch),
      thread_([this] { io_.run(); }) {}

// The connections' reads are always pending, so the loop is stopped rather than left to run out of
// work; what was in flight is abandoned. Once join returns no Follow callback can run.
RedisCacheStore::~RedisCacheStore() {
  io_.stop();
  thread_.join();
}

Task<std::optional<Result<redis::Reply>>> RedisCacheStore::RunHere(std::vector<std::string> args) {
  Result<redis::Reply> reply = co_await client_.Command(std::move(args));
  healthy_.store(client_.healthy(), std::memory_order_relaxed);
  co_return std::move(reply);
}

Task<Result<redis::Reply>> RedisCacheStore::Run(std::vector<std::string> args) {
  std::optional<Result<redis::Reply>> reply =
      co_await net::co_spawn(io_, RunHere(std::move(args)), net::use_awaitable);
  if (!reply) co_return Error::Internal("the redis operation ended without a reply");
  if (!reply->ok()) {
    NoteUnavailable(reply->error());
    co_return std::move(*reply);
  }
  if ((*reply)->is_error()) {
    co_return Error::Unavailable(fmt::format("redis at {} refused a cache command: {}",
                                             client_.endpoint(), Quoted((*reply)->text())));
  }
  co_return std::move(*reply);
}

Task<Result<std::optional<std::string>>> RedisCacheStore::Get(Digest key) {
  std::vector<std::string> args = {"GET", EntryKey(key)};
  Result<redis::Reply> reply = co_await Run(std::move(args));
  if (!reply) co_return reply.error();
  if (reply->is_nil()) co_return std::optional<std::string>();
  auto bytes = reply->AsString();
  if (!bytes) {
    co_return Error::Unavailable(
        fmt::format("redis at {} answered a cache GET with a {}", client_.endpoint(),
                    redis::Reply::KindName(reply->kind())));
  }
  co_return std::optional<std::string>(std::string(*bytes));
}

Task<Status> RedisCacheStore::Put(Digest key, std::string value, std::chrono::seconds ttl) {
  if (value.size() > options_.max_entry_bytes) {
    too_large_.fetch_add(1, std::memory_order_relaxed);
    co_return Error::PayloadTooLarge(fmt::format(
        "a cache entry of {} bytes is over max_entry_bytes ({}): not stored", value.size(),
        options_.max_entry_bytes));
  }
  if (ttl < 1s) co_return Error::Internal("a cache entry needs a ttl of at least 1 s");
  const auto ttl_ms = std::chrono::milliseconds(std::min(ttl, kMaxTtl));
  std::vector<std::string> args = {"SET", EntryKey(key), std::move(value), "PX",
                                   std::to_string(ttl_ms.count())};
  Result<redis::Reply> reply = co_await Run(std::move(args));
  if (!reply) co_return reply.error();
  co_return Status();
}

void RedisCacheStore::Announce(SharedVector vector) {
  if (announces_in_flight_.fetch_add(1, std::memory_order_relaxed) >=
      options_.max_pending_announces) {
    announces_in_flight_.fetch_sub(1, std::memory_order_relaxed);
    announce_dropped_.fetch_add(1, std::memory_order_relaxed);
    if (std::uint64_t count = announce_log_.Count(http::LogThrottle::Clock::now())) {
      spdlog::warn("redis cache: {} semantic vector(s) not announced: {} announces already in "
                   "flight (max_pending_announces)",
                   count, options_.max_pending_announces);
    }
    return;
  }
  std::vector<std::string> args = {"XADD",
                                   stream_key_,
                                   "MAXLEN",
                                   "~",
                                   std::to_string(options_.max_stream_length),
                                   "*",
                                   "p",
                                   vector.partition.Hex(),
                                   "e",
                                   vector.entry.Hex(),
                                   "x",
                                   std::to_string(vector.expires_ms),
                                   "v",
                                   EncodeFloats(vector.vector)};
  net::co_spawn(io_, AnnounceHere(std::move(args)), net::detached);
}

Task<void> RedisCacheStore::AnnounceHere(std::vector<std::string> args) {
  Result<redis::Reply> reply = co_await client_.Command(std::move(args));
  healthy_.store(client_.healthy(), std::memory_order_relaxed);
  announces_in_flight_.fetch_sub(1, std::memory_order_relaxed);
  if (!reply.ok()) {
    announce_failed_.fetch_add(1, std::memory_order_relaxed);
    NoteUnavailable(reply.error());
    co_return;
  }
  if (reply->is_error()) {
    announce_failed_.fetch_add(1, std::memory_order_relaxed);
    if (std::uint64_t count = announce_log_.Count(http::LogThrottle::Clock::now())) {
      spdlog::warn("redis cache: {} semantic vector(s) not announced: redis at {} said: {}", count,
                   client_.endpoint(), Quoted(reply->text()));
    }
    co_return;
  }
  announced_.fetch_add(1, std::memory_order_relaxed);
}

void RedisCacheStore::Follow(std::function<void(SharedVector)> on_vector) {
  if (following_.exchange(true)) {
    spdlog::warn("redis cache: Follow was called twice; the second call is ignored");
    return;
  }
  net::co_spawn(io_, FollowLoop(std::move(on_vector)), net::detached);
}

Task<void> RedisCacheStore::FollowLoop(std::function<void(SharedVector)> on_vector) {
  net::steady_timer timer(io_);
  for (;;) {
    co_await ReadNewMessages(on_vector);
    timer.expires_after(options_.follow_interval);
    auto [ec] = co_await timer.async_wait(kUseTuple);
    if (ec) co_return;
  }
}

std::string RedisCacheStore::ReadStart() const {
  return last_id_.empty() ? std::string("-") : "(" + last_id_;
}

// Reads batches until one comes back short (caught up) or a read fails (the next poll tries
// again from the same place). A reply over max_reply_bytes halves the batch; a single message too
// large to read is stepped over.
Task<void> RedisCacheStore::ReadNewMessages(const std::function<void(SharedVector)>& on_vector) {
  for (;;) {
    std::vector<std::string> args = {"XRANGE", stream_key_,
                                     ReadStart(), "+",
                                     "COUNT",     std::to_string(batch_)};
    Result<redis::Reply> reply = co_await follow_client_.Command(std::move(args));
    if (!reply.ok() && IsOversizedReply(reply.error())) {
      if (batch_ > 1) {
        batch_ /= 2;
        continue;
      }
      const bool skipped = co_await SkipOversizedMessage();
      if (skipped) continue;
      co_return;
    }
    if (!reply.ok()) {
      NoteFollowFailure(reply.error());
      co_return;
    }
    if (reply->kind() != redis::Reply::Kind::kArray) {
      NoteFollowFailure(Error::Unavailable(fmt::format(
          "redis at {} answered XRANGE {} with a {}{}", follow_client_.endpoint(), stream_key_,
          redis::Reply::KindName(reply->kind()),
          reply->is_error() ? ": " + Quoted(reply->text()) : std::string())));
      co_return;
    }
    const std::string before = last_id_;
    const std::int64_t now_ms = NowMs();
    for (const redis::Reply& message : reply->elements()) Deliver(message, now_ms, on_vector);
    // A short batch means caught up; a full one whose ids were all unusable would be read again
    // and again, so it waits for the next poll as well.
    if (reply->elements().size() < batch_ || last_id_ == before) co_return;
    batch_ = std::min(batch_ * 2, kMaxBatch);
  }
}

Task<bool> RedisCacheStore::SkipOversizedMessage() {
  std::vector<std::string> keys = {stream_key_};
  std::vector<std::string> args = {ReadStart()};
  Result<redis::Reply> id = co_await follow_client_.Eval(NextIdScript(), std::move(keys),
                                                         std::move(args));
  if (!id.ok()) {
    NoteFollowFailure(id.error());
    co_return false;
  }
  if (id->kind() != redis::Reply::Kind::kString || !IsStreamId(id->text())) co_return false;
  last_id_ = id->text();
  malformed_.fetch_add(1, std::memory_order_relaxed);
  if (std::uint64_t count = malformed_log_.Count(http::LogThrottle::Clock::now())) {
    spdlog::warn("redis cache: skipped {} unusable message(s) in {}; the last, {}, is too large "
                 "to read (max_reply_bytes)",
                 count, stream_key_, last_id_);
  }
  co_return true;
}

void RedisCacheStore::Deliver(const redis::Reply& message, std::int64_t now_ms,
                              const std::function<void(SharedVector)>& on_vector) {
  auto parts = message.AsArray();
  std::optional<std::string_view> id;
  if (parts && parts->size() == 2) {
    auto text = (*parts)[0].AsString();
    if (text && IsStreamId(*text)) id = *text;
  }
  std::optional<SharedVector> vector;
  if (id) {
    last_id_ = std::string(*id);  // past it, whatever its fields hold
    vector = DecodeMessage((*parts)[1]);
  }
  if (!vector) {
    malformed_.fetch_add(1, std::memory_order_relaxed);
    if (std::uint64_t count = malformed_log_.Count(http::LogThrottle::Clock::now())) {
      spdlog::warn("redis cache: skipped {} malformed message(s) in {} (the last at or after id {})",
                   count, stream_key_, last_id_.empty() ? std::string("-") : last_id_);
    }
    return;
  }
  if (vector->expires_ms <= now_ms) {
    expired_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  received_.fetch_add(1, std::memory_order_relaxed);
  try {
    on_vector(std::move(*vector));
  } catch (const std::exception& e) {
    // The loop must go on for the vectors after this one; the index's failure is its own.
    spdlog::error("redis cache: the semantic index refused a vector: {}", e.what());
  }
}

void RedisCacheStore::NoteUnavailable(const Error& error) {
  unavailable_.fetch_add(1, std::memory_order_relaxed);
  if (std::uint64_t count = unavailable_log_.Count(http::LogThrottle::Clock::now())) {
    spdlog::warn("redis cache: {} operation(s) failed since the last report, going on uncached: {}",
                 count, error.message);
  }
}

void RedisCacheStore::NoteFollowFailure(const Error& error) {
  if (std::uint64_t count = follow_log_.Count(http::LogThrottle::Clock::now())) {
    spdlog::warn("redis cache: {} read(s) of {} failed since the last report; still polling: {}",
                 count, stream_key_, error.message);
  }
}

StoreStats RedisCacheStore::stats() const {
  StoreStats stats;
  stats.entries = -1;
  stats.bytes = -1;
  stats.evictions = 0;
  stats.too_large = too_large_.load(std::memory_order_relaxed);
  stats.unavailable = unavailable_.load(std::memory_order_relaxed);
  return stats;
}

SharedVectorStats RedisCacheStore::vector_stats() const {
  SharedVectorStats stats;
  stats.announced = announced_.load(std::memory_order_relaxed);
  stats.announce_dropped = announce_dropped_.load(std::memory_order_relaxed);
  stats.announce_failed = announce_failed_.load(std::memory_order_relaxed);
  stats.received = received_.load(std::memory_order_relaxed);
  stats.expired = expired_.load(std::memory_order_relaxed);
  stats.malformed = malformed_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace switchyard::cache

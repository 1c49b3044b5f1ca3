// RedisClient: what the gateway's Redis users (the governance's shared rate limits and budgets, the
// response cache) call. It owns one pipelined RedisConnection for its executor, made lazily on the
// first command and again on the next command after the connection fails.
//
// A failed connect starts a backoff (RedisOptions::reconnect_backoff, doubling up to
// max_reconnect_backoff): until it passes, commands fail fast with Error::Unavailable instead of
// each trying to connect, so a Redis outage costs callers nothing but the error (no busy loop, no
// pile of connects). Commands issued while a connect is under way wait for that one connect.
//
// Single-threaded: one client per executor (worker thread), every call on that executor; the client
// must outlive the commands it runs. Script objects passed to Eval must outlive the call.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/asio.h"
#include "core/result.h"
#include "redis/redis_connection.h"
#include "redis/redis_options.h"
#include "redis/redis_url.h"
#include "redis/reply.h"
#include "redis/script.h"

namespace switchyard::redis {

class RedisClient {
 public:
  using Clock = std::chrono::steady_clock;

  RedisClient(net::any_io_executor executor, RedisUrl url, RedisOptions options = {});
  ~RedisClient();  // closes the connection: its pending commands fail
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends `args` (the command name first) and returns its reply; an error reply (e.g. WRONGTYPE)
  // is a Reply of kind kError. Error::Unavailable when Redis cannot be reached, is in backoff, has
  // max_pending commands waiting (for replies, or for a connect under way), or fails before the
  // reply (RedisConnection::Command).
  Task<Result<Reply>> Command(std::vector<std::string> args);

  // Runs `script` atomically: EVALSHA by its SHA-1, then EVAL with its source if the server answers
  // NOSCRIPT (after a restart or SCRIPT FLUSH), which also caches it for the next EVALSHA. The
  // script's own error (a Lua error) is a Reply of kind kError.
  Task<Result<Reply>> Eval(const Script& script, std::vector<std::string> keys,
                           std::vector<std::string> args);

  // Connects now, if not connected (e.g. at startup, to report a bad URL or password early).
  Task<Status> Connect();

  // True while the client holds an open connection; false before the first connect and from a
  // failure until the next successful connect. For metrics and health checks.
  bool healthy() const { return connection_ != nullptr && connection_->open(); }
  // "HOST:PORT", for messages.
  std::string endpoint() const { return url_.Endpoint(); }

 private:
  Task<Result<std::shared_ptr<RedisConnection>>> OpenConnection();
  Task<Result<std::shared_ptr<RedisConnection>>> Reconnect();
  void RecordConnectFailure(const Error& error);
  Error FailFast() const;

  const net::any_io_executor executor_;
  const RedisUrl url_;
  const RedisOptions options_;
  std::shared_ptr<RedisConnection> connection_;
  // Set while a connect is under way; commands that arrive meanwhile wait on it (cancelled when
  // the connect ends), at most max_pending of them.
  std::shared_ptr<net::steady_timer> connect_done_;
  std::size_t connect_waiters_ = 0;
  int consecutive_failures_ = 0;
  Clock::time_point retry_after_{};
  Error last_failure_;
};

}  // namespace switchyard::redis

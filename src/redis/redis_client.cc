#include "redis/redis_client.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace switchyard::redis {
namespace {

// EVAL and EVALSHA take the script (or its SHA-1), the number of keys, the keys, then the other
// arguments: Redis Cluster and scripts' atomicity rely on the keys being declared.
std::vector<std::string> EvalArgs(std::string command, const std::string& script,
                                  const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(3 + keys.size() + args.size());
  out.push_back(std::move(command));
  out.push_back(script);
  out.push_back(std::to_string(keys.size()));
  out.insert(out.end(), keys.begin(), keys.end());
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

bool IsNoScript(const Result<Reply>& reply) {
  return reply.ok() && reply->is_error() && reply->text().starts_with("NOSCRIPT");
}

}  // namespace

RedisClient::RedisClient(net::any_io_executor executor, RedisUrl url, RedisOptions options)
    : executor_(std::move(executor)), url_(std::move(url)), options_(options) {}

RedisClient::~RedisClient() {
  if (connection_ == nullptr) return;
  connection_->Close(
      Error::Unavailable(fmt::format("redis at {}: the client was shut down", endpoint())));
}

Task<Result<Reply>> RedisClient::Command(std::vector<std::string> args) {
  Result<std::shared_ptr<RedisConnection>> connection = co_await OpenConnection();
  if (!connection.ok()) co_return std::move(connection).error();
  Result<Reply> reply = co_await connection.value()->Command(std::move(args));
  co_return std::move(reply);
}

Task<Result<Reply>> RedisClient::Eval(const Script& script, std::vector<std::string> keys,
                                      std::vector<std::string> args) {
  std::vector<std::string> by_sha = EvalArgs("EVALSHA", script.sha1(), keys, args);
  Result<Reply> reply = co_await Command(std::move(by_sha));
  if (!IsNoScript(reply)) co_return std::move(reply);
  std::vector<std::string> by_source = EvalArgs("EVAL", script.source(), keys, args);
  Result<Reply> evaluated = co_await Command(std::move(by_source));
  co_return std::move(evaluated);
}

Task<Status> RedisClient::Connect() {
  Result<std::shared_ptr<RedisConnection>> connection = co_await OpenConnection();
  if (!connection.ok()) co_return std::move(connection).error();
  co_return Status();
}

// The open connection, or one connect (shared with every command that arrives while it runs), or
// the fast failure of the backoff.
Task<Result<std::shared_ptr<RedisConnection>>> RedisClient::OpenConnection() {
  while (connect_done_ != nullptr) {
    if (connect_waiters_ >= options_.max_pending) {
      co_return Error::Unavailable(fmt::format(
          "redis at {}: {} commands already wait for the connect (max_pending): refused",
          endpoint(), connect_waiters_));
    }
    const std::shared_ptr<net::steady_timer> done = connect_done_;
    ++connect_waiters_;
    // The wait ends when the connect does (its timer is cancelled); the outcome is read below.
    auto [ended] = co_await done->async_wait(kUseTuple);
    (void)ended;
    --connect_waiters_;
  }
  if (connection_ != nullptr && connection_->open()) co_return connection_;
  if (consecutive_failures_ > 0 && Clock::now() < retry_after_) co_return FailFast();
  Result<std::shared_ptr<RedisConnection>> connected = co_await Reconnect();
  co_return std::move(connected);
}

Task<Result<std::shared_ptr<RedisConnection>>> RedisClient::Reconnect() {
  const auto done = std::make_shared<net::steady_timer>(executor_, Clock::time_point::max());
  connect_done_ = done;
  connection_.reset();
  Result<std::shared_ptr<RedisConnection>> connected =
      co_await RedisConnection::Connect(executor_, url_, options_);
  connect_done_.reset();
  done->cancel();
  if (!connected.ok()) {
    RecordConnectFailure(connected.error());
    co_return std::move(connected);
  }
  consecutive_failures_ = 0;
  connection_ = connected.value();
  co_return std::move(connected);
}

void RedisClient::RecordConnectFailure(const Error& error) {
  ++consecutive_failures_;
  const int doublings = std::min(consecutive_failures_ - 1, 16);
  const std::chrono::milliseconds backoff =
      std::min<std::chrono::milliseconds>(options_.reconnect_backoff * (1LL << doublings),
                                          options_.max_reconnect_backoff);
  retry_after_ = Clock::now() + backoff;
  last_failure_ = error;
}

Error RedisClient::FailFast() const {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(retry_after_ - Clock::now());
  return Error::Unavailable(
      fmt::format("redis at {} is unavailable; next connect in {} ms (last failure: {})",
                  endpoint(), left.count(), last_failure_.message));
}

}  // namespace switchyard::redis

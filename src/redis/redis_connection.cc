#include "redis/redis_connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <exception>
#include <utility>

#include "redis/command_encoder.h"

namespace switchyard::redis {
namespace {

using Socket = net::ip::tcp::socket;

// Resolves and connects before the deadline. The timer cancels the resolver and closes the socket
// (which also stops a range connect between addresses); both are shared with its handler, which may
// run after this coroutine has returned.
Task<Result<Socket>> ConnectSocket(net::any_io_executor executor, const RedisUrl& url,
                                   std::chrono::milliseconds timeout) {
  auto resolver = std::make_shared<net::ip::tcp::resolver>(executor);
  auto socket = std::make_shared<Socket>(executor);
  auto timed_out = std::make_shared<bool>(false);
  net::steady_timer deadline(executor);
  deadline.expires_after(timeout);
  deadline.async_wait([resolver, socket, timed_out](const boost::system::error_code& ec) {
    if (ec) return;
    *timed_out = true;
    resolver->cancel();
    boost::system::error_code ignored;
    socket->close(ignored);
  });
  const std::string where = url.Endpoint();
  auto [rec, results] =
      co_await resolver->async_resolve(url.host, std::to_string(url.port), kUseTuple);
  if (*timed_out || rec) {
    co_return Error::Unavailable(
        *timed_out ? fmt::format("resolving redis at {} timed out", where)
                   : fmt::format("cannot resolve redis at {}: {}", where, rec.message()));
  }
  auto [cec, endpoint] = co_await net::async_connect(*socket, results, kUseTuple);
  if (*timed_out || cec) {
    co_return Error::Unavailable(
        *timed_out ? fmt::format("connecting to redis at {} timed out after {} ms", where,
                                 timeout.count())
                   : fmt::format("cannot connect to redis at {}: {}", where, cec.message()));
  }
  deadline.cancel();
  boost::system::error_code ignored;
  socket->set_option(net::ip::tcp::no_delay(true), ignored);
  co_return std::move(*socket);
}

}  // namespace

// The timer is both the deadline and the wake-up: a reply (or Close) sets `result` and cancels it.
struct RedisConnection::PendingCommand {
  explicit PendingCommand(const net::any_io_executor& executor) : timer(executor) {}
  net::steady_timer timer;
  std::optional<Result<Reply>> result;
};

RedisConnection::RedisConnection(Socket socket, std::string endpoint, const RedisOptions& options)
    : socket_(std::move(socket)), endpoint_(std::move(endpoint)), options_(options),
      reader_(options.max_reply_bytes) {}

Task<Result<std::shared_ptr<RedisConnection>>> RedisConnection::Connect(
    net::any_io_executor executor, const RedisUrl& url, const RedisOptions& options) {
  Result<Socket> socket = co_await ConnectSocket(executor, url, options.connect_timeout);
  if (!socket.ok()) co_return std::move(socket).error();
  std::shared_ptr<RedisConnection> connection(
      new RedisConnection(std::move(socket).value(), url.Endpoint(), options));
  connection->StartLoop(connection->ReadLoop(connection));
  Status logged_in = co_await connection->LogIn(url);
  if (!logged_in.ok()) {
    connection->Close(logged_in.error());
    co_return logged_in.error();
  }
  co_return connection;
}

// AUTH's arguments hold the password: only the server's answer reaches a message, never them.
Task<Status> RedisConnection::LogIn(const RedisUrl& url) {
  if (!url.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!url.username.empty()) auth.push_back(url.username);
    auth.emplace_back(url.password.reveal());
    Result<Reply> reply = co_await Command(std::move(auth));
    if (!reply.ok()) co_return std::move(reply).error();
    if (reply->is_error()) {
      co_return Error::Unavailable(
          fmt::format("redis at {} refused the login: {}", endpoint_, reply->text()));
    }
  }
  if (url.db != 0) {
    std::vector<std::string> select = {"SELECT", std::to_string(url.db)};
    Result<Reply> reply = co_await Command(std::move(select));
    if (!reply.ok()) co_return std::move(reply).error();
    if (reply->is_error()) {
      co_return Error::Unavailable(fmt::format("redis at {} refused SELECT {}: {}", endpoint_,
                                               url.db, reply->text()));
    }
  }
  co_return Status();
}

Task<Result<Reply>> RedisConnection::Command(std::vector<std::string> args) {
  const std::shared_ptr<RedisConnection> self = shared_from_this();
  Result<std::shared_ptr<PendingCommand>> queued = Enqueue(args);
  if (!queued.ok()) co_return std::move(queued).error();
  const std::shared_ptr<PendingCommand> pending = std::move(queued).value();
  auto [ec] = co_await pending->timer.async_wait(kUseTuple);
  co_return Outcome(*pending, ec);
}

Result<std::shared_ptr<RedisConnection::PendingCommand>> RedisConnection::Enqueue(
    const std::vector<std::string>& args) {
  if (closed_) return close_reason_;
  if (pending_.size() >= options_.max_pending) {
    return Error::Unavailable(fmt::format(
        "redis at {} already has {} commands waiting for replies (max_pending): refused",
        endpoint_, pending_.size()));
  }
  Status encoded = AppendCommand(outgoing_, args);
  if (!encoded.ok()) return encoded.error();
  auto pending = std::make_shared<PendingCommand>(socket_.get_executor());
  pending->timer.expires_after(options_.command_timeout);
  pending_.push_back(pending);
  StartWriting();
  return pending;
}

// The wait ends with a result (the reply, or Close's reason), with the deadline, or cancelled.
// A timer that expired just as the reply came still finds the result, so the result is read first.
Result<Reply> RedisConnection::Outcome(PendingCommand& pending,
                                       const boost::system::error_code& wait_error) {
  if (pending.result) return std::move(*pending.result);
  if (!wait_error) {
    const Error timeout = Broken(
        fmt::format("no reply within {} ms (command_timeout)", options_.command_timeout.count()));
    Close(timeout);
    return timeout;
  }
  return Error::Cancelled("the redis command was cancelled before its reply");
}

void RedisConnection::StartLoop(Task<void> loop) {
  std::weak_ptr<RedisConnection> weak = weak_from_this();
  net::co_spawn(socket_.get_executor(), std::move(loop), [weak](std::exception_ptr failure) {
    std::shared_ptr<RedisConnection> self = weak.lock();
    if (failure && self) self->Close(self->Broken("an internal failure in its I/O loop"));
  });
}

void RedisConnection::StartWriting() {
  if (writing_ || closed_) return;
  writing_ = true;
  StartLoop(WriteLoop(shared_from_this()));
}

// Takes everything queued so far in one write: commands issued while a write is in flight go out
// together in the next one, in order.
// `self` keeps the connection alive while the loop runs.
Task<void> RedisConnection::WriteLoop(std::shared_ptr<RedisConnection> /*self*/) {
  std::string batch;
  while (!closed_ && !outgoing_.empty()) {
    batch.clear();
    batch.swap(outgoing_);
    auto [ec, written] = co_await net::async_write(socket_, net::buffer(batch), kUseTuple);
    if (ec) Close(Broken(fmt::format("writing failed: {}", ec.message())));
  }
  writing_ = false;
}

Task<void> RedisConnection::ReadLoop(std::shared_ptr<RedisConnection> /*self*/) {
  while (!closed_) {
    auto [ec, received] = co_await socket_.async_read_some(net::buffer(read_buffer_), kUseTuple);
    if (ec) {
      Close(Broken(ec == net::error::eof ? std::string("the server closed the connection")
                                         : fmt::format("reading failed: {}", ec.message())));
      break;
    }
    Status delivered = DeliverReplies(std::string_view(read_buffer_.data(), received));
    if (!delivered.ok()) {
      Close(Broken(delivered.error().message));
      break;
    }
  }
}

Status RedisConnection::DeliverReplies(std::string_view bytes) {
  Status fed = reader_.Feed(bytes);
  if (!fed.ok()) return fed;
  for (;;) {
    Result<std::optional<Reply>> next = reader_.Next();
    if (!next.ok()) return std::move(next).error();
    if (!next->has_value()) return Status();
    if (pending_.empty()) return Error::Unavailable("a reply that no command was waiting for");
    std::shared_ptr<PendingCommand> oldest = std::move(pending_.front());
    pending_.pop_front();
    oldest->result.emplace(std::move(**next));
    oldest->timer.cancel();
  }
}

Error RedisConnection::Broken(std::string_view what) const {
  return Error::Unavailable(
      fmt::format("redis at {}: {} (connection closed)", endpoint_, what));
}

void RedisConnection::Close(const Error& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  std::deque<std::shared_ptr<PendingCommand>> failed = std::move(pending_);
  pending_.clear();
  for (const std::shared_ptr<PendingCommand>& pending : failed) {
    pending->result.emplace(reason);
    pending->timer.cancel();
  }
}

}  // namespace switchyard::redis

// RedisConnection: one pipelined connection to a Redis server. Commands are written in the order
// they are issued, without waiting for earlier replies, and replies are matched to commands
// first-in first-out (Redis answers in order on one connection).
//
// Why not hiredis's own async API: Debian's hiredis 0.14 ships no Asio adapter (and no TLS), and
// its event-loop adapters would own the socket. So the socket is ours (Asio TCP, never blocking a
// worker thread) and hiredis is only the RESP encoder (AppendCommand) and parser (ReplyReader).
//
// Failure is per connection: a transport error, a protocol error, a reply over max_reply_bytes or a
// command past its deadline closes the connection and fails every pending command with the same
// clear Error::Unavailable; the connection is not reused (RedisClient makes a new one).
//
// Single-threaded: every call, and every coroutine awaiting Command, runs on the executor given to
// Connect (one worker thread's io_context, or a strand). Many coroutines may issue commands
// concurrently on it. Held by shared_ptr: its read and write loops and each waiting command keep it
// alive; call Close() before dropping the last outside reference, or the read loop keeps it open.
#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/asio.h"
#include "core/result.h"
#include "redis/redis_options.h"
#include "redis/redis_url.h"
#include "redis/reply.h"
#include "redis/reply_reader.h"

namespace switchyard::redis {

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  // Resolves and connects within options.connect_timeout, then sends AUTH (when the URL has a
  // password) and SELECT (when its database is not 0). Error::Unavailable on any failure, naming
  // the server as "redis at HOST:PORT" and never quoting the password.
  static Task<Result<std::shared_ptr<RedisConnection>>> Connect(net::any_io_executor executor,
                                                                const RedisUrl& url,
                                                                const RedisOptions& options);

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends `args` (the command name first) and returns its reply; an error reply is a Reply of kind
  // kError. Error::Unavailable when the connection is closed, max_pending commands are already
  // waiting, or it closes before the reply (including by this command's deadline passing);
  // Error::Cancelled when the awaiting coroutine is cancelled (the reply is then discarded).
  Task<Result<Reply>> Command(std::vector<std::string> args);

  // Closes the socket and fails every pending command with `reason`. Idempotent.
  void Close(const Error& reason);

  bool open() const { return !closed_; }
  std::size_t pending() const { return pending_.size(); }
  // "HOST:PORT", for messages.
  const std::string& endpoint() const { return endpoint_; }

 private:
  struct PendingCommand;
  using Socket = net::ip::tcp::socket;

  RedisConnection(Socket socket, std::string endpoint, const RedisOptions& options);

  Task<Status> LogIn(const RedisUrl& url);
  Result<std::shared_ptr<PendingCommand>> Enqueue(const std::vector<std::string>& args);
  Result<Reply> Outcome(PendingCommand& pending, const boost::system::error_code& wait_error);
  void StartLoop(Task<void> loop);
  void StartWriting();
  Task<void> WriteLoop(std::shared_ptr<RedisConnection> self);
  Task<void> ReadLoop(std::shared_ptr<RedisConnection> self);
  Status DeliverReplies(std::string_view bytes);
  Error Broken(std::string_view what) const;

  Socket socket_;
  const std::string endpoint_;
  const RedisOptions options_;
  ReplyReader reader_;
  // Commands written (or about to be) and not yet answered, oldest first.
  std::deque<std::shared_ptr<PendingCommand>> pending_;
  std::string outgoing_;  // encoded commands the write loop has not taken yet
  bool writing_ = false;  // the write loop is running
  bool closed_ = false;
  Error close_reason_;
  std::array<char, 16 * 1024> read_buffer_{};
};

}  // namespace switchyard::redis

// ClientConnection: the Downstream of one exchange on a keep-alive client connection. It writes
// responses straight onto the session's socket (head and body as separate buffers, never joined) and
// can watch the socket for a disconnect while the handler waits for a provider.
//
// Owned by the session, one per exchange; lives on the connection's thread.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "http/server/downstream.h"

namespace switchyard::http {

class ClientConnection : public Downstream {
 public:
  // `buffer` holds bytes read past the current request (pipelining); the watch appends to it.
  // `write_timeout` bounds each write: a client that takes no bytes for that long is dropped.
  // `max_pipelined` bounds what the watch buffers: past it, the client is no longer read until the
  // exchange ends (backpressure through TCP), so a flooding client costs at most that much.
  ClientConnection(boost::beast::tcp_stream& stream, boost::beast::flat_buffer& buffer,
                   bool keep_alive, std::chrono::milliseconds write_timeout,
                   std::size_t max_pipelined);
  ~ClientConnection() override = default;

  Task<bool> Respond(int status, HeaderList headers, std::string body) override;
  Task<bool> BeginStream(int status, HeaderList headers) override;
  Task<bool> WriteChunk(std::span<const std::string_view> pieces) override;
  Task<bool> EndStream(std::span<const std::string_view> last_pieces = {}) override;
  bool committed() const override { return committed_; }

  void StartWatching(std::function<void()> on_gone) override;
  Task<> StopWatching() override;
  bool client_gone() const override { return client_gone_; }

  // Whether the connection may carry another request after this exchange.
  bool reusable() const { return keep_alive_ && finished_ && !client_gone_; }
  bool finished() const { return finished_; }

 private:
  Task<bool> Write(std::span<const boost::asio::const_buffer> buffers);
  Task<bool> WriteStreamPart(std::span<const std::string_view> pieces, bool end);
  // Appends the buffers of one chunk of `pieces` (nothing when they are empty) to `buffers`;
  // `prefix` holds the chunk's size line.
  static void AppendChunk(std::span<const std::string_view> pieces, std::string& prefix,
                          std::vector<boost::asio::const_buffer>& buffers);
  // The watch is one read at a time on the socket with a plain completion handler (no coroutine,
  // no timer: it costs every call). OnWatchRead runs once per read.
  void ArmWatch();
  void OnWatchRead(const boost::system::error_code& ec, std::size_t n);

  boost::beast::tcp_stream& stream_;
  boost::beast::flat_buffer& buffer_;
  const bool keep_alive_;
  const std::chrono::milliseconds write_timeout_;
  const std::size_t max_pipelined_;
  bool committed_ = false;
  bool finished_ = false;
  std::string pending_head_;  // a stream's head, until its first chunk or its end carries it
  bool client_gone_ = false;
  bool watch_pending_ = false;  // a watch read is outstanding; its handler has not run yet
  bool stop_requested_ = false;
  std::function<void()> on_gone_;
};

}  // namespace switchyard::http

#include "http/server/client_connection.h"

#include <algorithm>
#include <array>
#include <string>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <vector>

namespace switchyard::http {
namespace beast = boost::beast;

namespace {
constexpr std::size_t kWatchReadMin = 256;
}  // namespace

ClientConnection::ClientConnection(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                   bool keep_alive, std::chrono::milliseconds write_timeout,
                                   std::size_t max_pipelined)
    : stream_(stream),
      buffer_(buffer),
      keep_alive_(keep_alive),
      write_timeout_(write_timeout),
      max_pipelined_(max_pipelined) {}

Task<bool> ClientConnection::Write(std::span<const net::const_buffer> buffers) {
  if (client_gone_) co_return false;
  committed_ = true;
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await net::async_write(stream_, buffers, kUseTuple);
  if (ec) {
    client_gone_ = true;
    co_return false;
  }
  co_return true;
}

Task<bool> ClientConnection::Respond(int status, HeaderList headers, std::string body) {
  if (StatusHasNoBody(status)) body.clear();  // its head says nothing of a body: none may follow
  const std::string head =
      FormatResponseHead(status, headers, static_cast<long long>(body.size()), keep_alive_);
  const std::array<net::const_buffer, 2> buffers = {net::buffer(head), net::buffer(body)};
  const bool ok = co_await Write(buffers);
  finished_ = ok;
  co_return ok;
}

Task<bool> ClientConnection::BeginStream(int status, HeaderList headers) {
  if (client_gone_) co_return false;
  committed_ = true;
  pending_head_ = FormatResponseHead(status, headers, -1, keep_alive_);
  co_return true;
}

void ClientConnection::AppendChunk(std::span<const std::string_view> pieces, std::string& prefix,
                                   std::vector<net::const_buffer>& buffers) {
  std::size_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  if (size == 0) return;  // a zero-size chunk would end the body
  prefix = ChunkPrefix(size);
  buffers.push_back(net::buffer(prefix));
  for (std::string_view piece : pieces) buffers.push_back(net::buffer(piece));
  buffers.push_back(net::buffer(kChunkSuffix));
}

Task<bool> ClientConnection::WriteChunk(std::span<const std::string_view> pieces) {
  return WriteStreamPart(pieces, /*end=*/false);
}

Task<bool> ClientConnection::EndStream(std::span<const std::string_view> last_pieces) {
  return WriteStreamPart(last_pieces, /*end=*/true);
}

// One write: the stream's head if it has not gone yet, a chunk of `pieces` if any, and the
// terminator when `end`.
Task<bool> ClientConnection::WriteStreamPart(std::span<const std::string_view> pieces, bool end) {
  std::vector<net::const_buffer> buffers;
  buffers.reserve(pieces.size() + 4);
  if (!pending_head_.empty()) buffers.push_back(net::buffer(pending_head_));
  std::string prefix;
  AppendChunk(pieces, prefix, buffers);
  if (end) buffers.push_back(net::buffer(kLastChunk));
  if (buffers.empty()) co_return !client_gone_;
  const bool ok = co_await Write(buffers);
  std::string().swap(pending_head_);  // its memory too: a stream may stay open for minutes
  if (end) finished_ = ok;
  co_return ok;
}

void ClientConnection::StartWatching(std::function<void()> on_gone) {
  if (watch_pending_ || client_gone_) return;
  if (buffer_.size() >= max_pipelined_) return;  // already full of the next requests: not read
  on_gone_ = std::move(on_gone);
  stop_requested_ = false;
  ArmWatch();
}

// Reads from the client while a provider is working. A well-behaved HTTP/1.1 client sends nothing
// until it has its answer, so a read that completes means either EOF/reset (the client is gone) or
// a pipelined request, whose bytes are kept in buffer_ for the session's next read.
void ClientConnection::ArmWatch() {
  // Into the room the buffer already has (at least a little): growing the session's buffer for a
  // read that almost never brings anything would cost every open stream 4 KB. Never past
  // max_pipelined_ in all (OnWatchRead stops reading at it).
  const std::size_t room = std::min(std::max(kWatchReadMin, buffer_.capacity() - buffer_.size()),
                                    max_pipelined_ - buffer_.size());
  watch_pending_ = true;
  stream_.socket().async_read_some(
      buffer_.prepare(room),
      [this](const boost::system::error_code& ec, std::size_t n) { OnWatchRead(ec, n); });
}

void ClientConnection::OnWatchRead(const boost::system::error_code& ec, std::size_t n) {
  watch_pending_ = false;
  if (!ec) {
    buffer_.commit(n);  // a pipelined request's bytes, even when the watch is being stopped
    // A client flooding us while we wait is no longer read: its bytes wait in the kernel (TCP
    // backpressure) until the exchange ends and the session reads the next request. Its
    // disconnect then goes unseen until the answer is written, which is the price of the bound.
    if (!stop_requested_ && buffer_.size() < max_pipelined_) ArmWatch();
    return;
  }
  if (stop_requested_) return;  // our own cancel
  client_gone_ = true;
  std::function<void()> on_gone = std::move(on_gone_);
  on_gone();
}

Task<> ClientConnection::StopWatching() {
  stop_requested_ = true;
  on_gone_ = nullptr;  // it may point into the attempt that is ending
  if (!watch_pending_) co_return;
  // Cancels only the pending read: cancel() on the socket would also abort a concurrent write, but
  // no write is pending while a handler waits for a provider. The read's handler (aborted, or
  // already completed with pipelined bytes) is queued by now; this thread runs its queue in order,
  // so a turn of our own after it finds the watch over and the bytes in buffer_.
  boost::system::error_code ignored;
  stream_.socket().cancel(ignored);
  while (watch_pending_) {
    co_await net::post(stream_.get_executor(), net::use_awaitable);
  }
}

}  // namespace switchyard::http

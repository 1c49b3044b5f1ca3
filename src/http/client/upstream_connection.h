// UpstreamConnection: one HTTP/1.1 connection to a provider, plain TCP or TLS (certificate
// verification and SNI on), with a per-operation deadline. Kept alive in a ConnectionPool between
// exchanges.
//
// Lives on one worker thread; not thread-safe.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>

#include "core/asio.h"
#include "core/result.h"
#include "http/client/upstream_endpoint.h"

namespace switchyard::http {

class UpstreamConnection {
 public:
  using Clock = std::chrono::steady_clock;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // Resolves, connects and (for https) completes the TLS handshake before `deadline`.
  static Task<Result<std::unique_ptr<UpstreamConnection>>> Connect(
      const net::any_io_executor& executor, net::ssl::context& tls_context,
      const UpstreamEndpoint& endpoint, Clock::time_point deadline);

  // The deadline for the next operations (they fail with beast::error::timeout past it).
  void SetDeadline(Clock::time_point deadline) { tcp().expires_at(deadline); }
  void ClearDeadline() { tcp().expires_never(); }

  // Closes the socket at once: every pending operation completes with an error. Safe to call twice.
  void Close();
  bool open() const { return const_cast<UpstreamConnection*>(this)->tcp().socket().is_open(); }
  // True when an idle connection still looks usable (the peer has not closed it, no stray bytes).
  bool LooksAlive();

  boost::beast::flat_buffer& buffer() { return buffer_; }
  boost::beast::tcp_stream& tcp() { return tls_ ? tls_->next_layer() : *plain_; }

  // Runs `op(stream)` with the connection's concrete stream type (plain or TLS).
  template <class Op>
  auto WithStream(Op&& op) {
    return tls_ ? op(*tls_) : op(*plain_);
  }

  Clock::time_point idle_since;  // set by the pool when the connection is returned

 private:
  UpstreamConnection() = default;

  std::unique_ptr<boost::beast::tcp_stream> plain_;
  std::unique_ptr<TlsStream> tls_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace switchyard::http

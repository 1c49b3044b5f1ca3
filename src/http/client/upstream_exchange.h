// UpstreamExchange: one HTTP request to a provider and its response, on a pooled keep-alive
// connection, under the provider's deadlines:
//   connect     — TCP connect and TLS handshake;
//   first_byte  — request written → response head received;
//   idle        — between two body reads once the head has arrived (stream stalls);
//   total       — the whole exchange.
// The body is read piece by piece (ReadSome) so that streams are relayed, never buffered whole.
// Cancel() closes the connection at once, from any point, so the provider stops generating.
//
// Lives on one worker thread; not thread-safe.
#pragma once

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/asio.h"
#include "core/result.h"
#include "http/client/connection_pool.h"
#include "http/client/upstream_deadlines.h"
#include "http/client/upstream_request.h"

namespace switchyard::http {

class UpstreamExchange {
 public:
  UpstreamExchange(ConnectionPool& pool, const UpstreamEndpoint& endpoint,
                   const UpstreamDeadlines& deadlines);
  ~UpstreamExchange();  // returns the connection to the pool when the response was read whole
  UpstreamExchange(const UpstreamExchange&) = delete;
  UpstreamExchange& operator=(const UpstreamExchange&) = delete;

  // Connects (or reuses a connection), writes the request and reads the response head.
  // Errors: kUpstreamConnect, kUpstreamTimeout, kUpstreamProtocol, kCancelled.
  Task<Status> Send(const UpstreamRequest& request);

  // REQUIRES: Send succeeded.
  int status() const { return parser_->get().result_int(); }
  // A response header's value, or empty.
  std::string_view Header(std::string_view name) const;

  // The next piece of the body; an empty view at the end. The view is valid until the next call.
  Task<Result<std::string_view>> ReadSome();
  // The rest of the body, failing with kUpstreamProtocol past `limit` bytes.
  Task<Result<std::string>> ReadAll(std::size_t limit);

  // Abandons the exchange: closes the connection; pending and later operations fail with kCancelled.
  void Cancel();
  bool cancelled() const { return cancelled_; }
  // Whether the response head has arrived.
  bool has_head() const { return has_head_; }
  bool done() const { return done_; }
  // Whether the whole request reached the provider (it may be billed even without an answer).
  bool request_sent() const { return request_sent_; }

 private:
  using Parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;
  // A relayed body's pieces: kPieceSize while events trickle in (a few hundred bytes each; an open
  // stream holds its piece buffer for as long as it lasts), up to kMaxPieceSize when more has
  // already arrived. ReadAll grows its result by kReadAllStep when the body has no Content-Length.
  static constexpr std::size_t kPieceSize = 2048;
  static constexpr std::size_t kMaxPieceSize = 16384;
  static constexpr std::size_t kReadAllStep = 16384;
  // The connection's read buffer while a response head is awaited (nginx's proxy_buffer_size).
  static constexpr std::size_t kResponseReadSize = 4096;

  Task<Status> SendOnce(const UpstreamRequest& request, bool allow_reuse, bool* retry_fresh);
  // Reads body bytes into [data, data + size): how many arrived, 0 at the end of the body.
  // `release_idle_buffer`: give back the connection's read buffer whenever it runs empty.
  Task<Result<std::size_t>> ReadInto(char* data, std::size_t size, bool release_idle_buffer);
  void ReleaseIdleBuffer();
  // Gives up on a body over `limit` bytes: the connection cannot be reused.
  Error TooLarge(std::size_t limit);
  Error TranslateError(const boost::system::error_code& ec, std::string_view phase) const;
  UpstreamConnection::Clock::time_point Cap(std::chrono::milliseconds timeout) const;

  ConnectionPool& pool_;
  const UpstreamEndpoint& endpoint_;
  const UpstreamDeadlines& deadlines_;
  UpstreamConnection::Clock::time_point total_deadline_;
  std::unique_ptr<UpstreamConnection> connection_;
  void ResetParser();

  std::optional<Parser> parser_;
  std::unique_ptr<char[]> piece_;  // ReadSome's buffer, of piece_size_ bytes
  std::size_t piece_size_ = 0;
  bool cancelled_ = false;
  bool has_head_ = false;
  bool request_sent_ = false;
  bool done_ = false;
  bool failed_ = false;
};

}  // namespace switchyard::http

#include "http/server/session.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <algorithm>
#include <array>

#include "core/result.h"
#include "http/server/client_connection.h"
#include "http/server/request_body.h"
#include "http/server/request_head_check.h"

namespace switchyard::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

void SessionRegistry::Drain() {
  draining_ = true;
  for (Entry& entry : entries_) {
    if (entry.phase == Phase::kIdle) entry.cancel();
  }
}

void SessionRegistry::CloseAll() {
  draining_ = true;
  for (Entry& entry : entries_) entry.close();
}

namespace {

using RequestParser = bhttp::request_parser<RequestBody>;

// The first read of a request: at least this much room (a typical head fits).
constexpr std::size_t kFirstReadMin = 4096;

// Lingering close, as nginx does it: after an answer that ends the connection while the client may
// still be sending its request, closing at once makes the kernel answer the unread bytes with a
// reset, which can destroy the answer before the client has read it (a 413 lost to EPIPE). So the
// write side is shut down (the client sees the answer end) and whatever the client still sends is
// read and dropped, for at most linger_ms and linger_bytes, before the socket closes.
Task<> Linger(beast::tcp_stream& stream, const ClientLimits& limits) {
  boost::system::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream.expires_after(limits.linger);
  std::array<char, 16 * 1024> discard;
  std::uint64_t discarded = 0;
  while (discarded < limits.linger_bytes) {
    auto [ec, n] = co_await stream.async_read_some(net::buffer(discard), kUseTuple);
    if (ec) break;  // the client closed (what we wait for), linger_ms passed, or a drain ended it
    discarded += n;
  }
}

// Answers an error the session detected before any handler ran, then lingers (see Linger); the
// connection closes after it.
Task<> RespondSessionError(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                           const SessionOptions& options, std::string_view method,
                           std::string_view path, Error error) {
  std::string content_type = "application/json";
  std::string body = options.format_error ? options.format_error(method, path, error, &content_type)
                                          : error.message;
  ClientConnection connection(stream, buffer, /*keep_alive=*/false, options.limits.body_read,
                              options.limits.max_pipelined);
  HeaderList headers = {{"Content-Type", content_type}};
  if (!co_await connection.Respond(error.http_status, std::move(headers), std::move(body))) {
    co_return;
  }
  co_await Linger(stream, options.limits);
}

void SplitTarget(IncomingRequest& request) {
  std::string_view target = request.message.target();
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  request.query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}

// Reads the rest of one request whose first bytes are in `buffer`, within the head deadline the
// caller set. Returns false when the connection should close (an error response, if one is due, has
// been written).
Task<bool> ReadRequest(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                       const SessionOptions& options, RequestParser& parser) {
  const ClientLimits& limits = options.limits;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header));
  parser.body_limit(limits.max_body);
  auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
  if (ec == bhttp::error::header_limit) {
    Error error = Error::InvalidRequest("request headers are larger than the limit");
    error.http_status = 431;
    co_await RespondSessionError(stream, buffer, options, "", "", std::move(error));
    co_return false;
  }
  if (ec == bhttp::error::body_limit) {  // the declared Content-Length is over the limit
    std::string_view target = parser.get().target();
    co_await RespondSessionError(
        stream, buffer, options, parser.get().method_string(), target.substr(0, target.find('?')),
        Error::PayloadTooLarge(
            fmt::format("request body is larger than the limit of {} bytes", limits.max_body)));
    co_return false;
  }
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset) {
    co_return false;
  }
  if (ec) {
    co_await RespondSessionError(stream, buffer, options, "", "",
                                 Error::InvalidRequest("malformed HTTP request: " + ec.message()));
    co_return false;
  }
  const auto& head = parser.get();
  std::string_view path = head.target();
  path = path.substr(0, path.find('?'));
  if (parser.content_length() && *parser.content_length() > limits.max_body) {
    co_await RespondSessionError(
        stream, buffer, options, head.method_string(), path,
        Error::PayloadTooLarge(fmt::format("request body of {} bytes is larger than the limit of "
                                           "{} bytes",
                                           *parser.content_length(), limits.max_body)));
    co_return false;
  }
  if (Status framing = CheckRequestHead(head); !framing.ok()) {
    co_await RespondSessionError(stream, buffer, options, head.method_string(), path,
                                 framing.error());
    co_return false;
  }
  // curl and others wait for this before sending a large body.
  if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [wec, wn] = co_await net::async_write(stream, net::buffer(kContinue), kUseTuple);
    if (wec) co_return false;
  }
  stream.expires_after(limits.body_read);
  std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
  if (ec == bhttp::error::body_limit) {
    co_await RespondSessionError(
        stream, buffer, options, head.method_string(), path,
        Error::PayloadTooLarge(
            fmt::format("request body is larger than the limit of {} bytes", limits.max_body)));
    co_return false;
  }
  if (ec) {
    if (ec != beast::error::timeout && ec != bhttp::error::end_of_stream &&
        ec != bhttp::error::partial_message) {
      co_await RespondSessionError(
          stream, buffer, options, head.method_string(), path,
          Error::InvalidRequest("malformed HTTP request: " + ec.message()));
    }
    co_return false;
  }
  stream.expires_never();
  co_return true;
}

// Waits for the first byte of the next request, unless bytes of it are buffered already (pipelined
// behind the last one). Returns false when the connection should close: the wait timed out, the
// client left, or a drain cancelled it.
Task<bool> AwaitRequestStart(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                             const SessionOptions& options) {
  if (buffer.size() > 0) co_return true;
  if (options.registry->draining()) co_return false;
  const std::size_t room = std::max<std::size_t>(kFirstReadMin, buffer.capacity());
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(room), kUseTuple);
  if (ec) co_return false;
  buffer.commit(n);
  co_return true;
}

Task<> Serve(beast::tcp_stream& stream, const SessionOptions& options,
             SessionRegistry::Handle registration) {
  const ClientLimits& limits = options.limits;
  beast::flat_buffer buffer;
  std::string peer;
  {
    boost::system::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    if (!ec) peer = endpoint.address().to_string();
  }
  for (bool first = true;; first = false) {
    // The first request's head must arrive within header_read_ms of the connection; a later one's
    // first byte within keepalive_ms of the last answer, and its head within header_read_ms of that.
    registration->phase = SessionRegistry::Phase::kIdle;
    stream.expires_after(first ? limits.header_read : limits.keepalive_idle);
    if (!co_await AwaitRequestStart(stream, buffer, options)) co_return;
    registration->phase = SessionRegistry::Phase::kReading;
    if (!first) stream.expires_after(limits.header_read);
    RequestParser parser;
    if (!co_await ReadRequest(stream, buffer, options, parser)) co_return;
    auto parsed = parser.release();
    IncomingRequest request{
        bhttp::request<bhttp::string_body>(std::move(parsed.base()), std::move(parsed.body())), {},
        {}, peer};
    SplitTarget(request);
    if (options.registry->draining()) {
      // Arrived during a shutdown: it must not start a call the drain would cut off. A 503 now lets
      // the client retry elsewhere.
      co_await RespondSessionError(
          stream, buffer, options, request.method(), request.path,
          Error::Unavailable("the gateway is shutting down; retry the request"));
      co_return;
    }
    registration->phase = SessionRegistry::Phase::kBusy;
    ClientConnection connection(stream, buffer, request.message.keep_alive(), limits.body_read,
                                limits.max_pipelined);
    try {
      co_await options.endpoints->Dispatch(request, connection);
    } catch (const std::exception& e) {
      // The one catch boundary for handlers: log, and answer a bare 500 if nothing went out yet.
      spdlog::error("request handler failed: {}", e.what());
    }
    co_await connection.StopWatching();
    if (!connection.finished()) {
      if (!connection.committed() && !connection.client_gone()) {
        co_await RespondSessionError(stream, buffer, options, request.method(), request.path,
                                     Error::Internal("the gateway produced no response"));
      }
      co_return;
    }
    if (!connection.reusable()) co_return;
  }
}

}  // namespace

Task<> RunSession(net::ip::tcp::socket socket, SessionOptions options,
                  [[maybe_unused]] std::optional<ConnectionGate::Ticket> ticket) {
  beast::tcp_stream stream(std::move(socket));
  auto registration = options.registry->Add(
      [&stream] {
        boost::system::error_code ignored;
        stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
      },
      [&stream] {
        boost::system::error_code ignored;
        stream.socket().cancel(ignored);
      });
  try {
    co_await Serve(stream, options, registration);
  } catch (const std::exception& e) {
    spdlog::error("connection failed unexpectedly: {}", e.what());
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
  options.registry->Remove(registration);
}

}  // namespace switchyard::http

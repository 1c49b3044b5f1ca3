#include "http/server/session.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "core/result.h"
#include "http/server/client_connection.h"

namespace switchyard::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

void SessionRegistry::Drain() {
  draining_ = true;
  for (Entry& entry : entries_) {
    if (!entry.busy) entry.close();
  }
}

void SessionRegistry::CloseAll() {
  draining_ = true;
  for (Entry& entry : entries_) entry.close();
}

namespace {

using RequestParser = bhttp::request_parser<bhttp::string_body>;

// Answers an error the session detected before any handler ran, then the connection closes.
Task<> RespondSessionError(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                           const SessionOptions& options, std::string_view method,
                           std::string_view path, Error error) {
  std::string content_type = "application/json";
  std::string body = options.format_error ? options.format_error(method, path, error, &content_type)
                                          : error.message;
  ClientConnection connection(stream, buffer, /*keep_alive=*/false, options.limits.body_read);
  HeaderList headers = {{"Content-Type", content_type}};
  co_await connection.Respond(error.http_status, std::move(headers), std::move(body));
}

void SplitTarget(IncomingRequest& request) {
  std::string_view target = request.message.target();
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  request.query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}

// Rejects request heads whose framing a proxy must not guess at (RFC 9112): a Transfer-Encoding
// other than chunked-last (the body's end would be ambiguous: request smuggling), and an HTTP/1.1
// request without Host.
Status CheckFraming(const bhttp::request_parser<bhttp::string_body>::value_type& head) {
  auto te = head.find(bhttp::field::transfer_encoding);
  if (te != head.end()) {
    std::string_view codings = te->value();
    while (!codings.empty() && (codings.back() == ' ' || codings.back() == '\t')) {
      codings.remove_suffix(1);
    }
    const std::size_t comma = codings.rfind(',');
    std::string_view last = comma == std::string_view::npos ? codings : codings.substr(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    if (!beast::iequals(last, "chunked") || comma != std::string_view::npos) {
      return Error::InvalidRequest("unsupported Transfer-Encoding: only chunked is accepted");
    }
  }
  if (head.version() >= 11 && head.find(bhttp::field::host) == head.end()) {
    return Error::InvalidRequest("an HTTP/1.1 request must carry a Host header");
  }
  return Status();
}

// Reads one request. Returns false when the connection should close (an error response, if one is
// due, has been written).
Task<bool> ReadRequest(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                       const SessionOptions& options, bool first, RequestParser& parser) {
  const config::ClientLimits& limits = options.limits;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header));
  parser.body_limit(limits.max_body);
  stream.expires_after(first ? limits.header_read : limits.keepalive_idle + limits.header_read);
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
  if (Status framing = CheckFraming(head); !framing.ok()) {
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

Task<> Serve(beast::tcp_stream& stream, const SessionOptions& options,
             SessionRegistry::Handle registration) {
  beast::flat_buffer buffer;
  std::string peer;
  {
    boost::system::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    if (!ec) peer = endpoint.address().to_string();
  }
  for (bool first = true;; first = false) {
    RequestParser parser;
    if (!co_await ReadRequest(stream, buffer, options, first, parser)) co_return;
    registration->busy = true;
    IncomingRequest request{parser.release(), {}, {}, peer};
    SplitTarget(request);
    const bool keep_alive = request.message.keep_alive() && !options.registry->draining();
    ClientConnection connection(stream, buffer, keep_alive, options.limits.body_read);
    bool handler_threw = false;
    try {
      co_await options.endpoints->Dispatch(request, connection);
    } catch (const std::exception& e) {
      // The one catch boundary for handlers: log, and answer a bare 500 if nothing went out yet.
      spdlog::error("request handler failed: {}", e.what());
      handler_threw = true;
    }
    co_await connection.StopWatching();
    if (handler_threw) registration->busy = false;
    registration->busy = false;
    if (!connection.finished()) {
      if (!connection.committed() && !connection.client_gone()) {
        co_await RespondSessionError(stream, buffer, options, request.method(), request.path,
                                     Error::Internal("the gateway produced no response"));
      }
      co_return;
    }
    if (!connection.reusable() || options.registry->draining()) co_return;
  }
}

}  // namespace

Task<> RunSession(net::ip::tcp::socket socket, SessionOptions options) {
  beast::tcp_stream stream(std::move(socket));
  auto registration = options.registry->Add([&stream] {
    boost::system::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
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

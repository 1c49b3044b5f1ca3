#include "http/client/upstream_exchange.h"

#include <algorithm>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <fmt/format.h>
#include <vector>

#include "http/header_value.h"

namespace switchyard::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = UpstreamConnection::Clock;

namespace {

constexpr std::uint32_t kMaxResponseHeader = 64 * 1024;

// The request target with the bytes that would end it or the request line (controls, space,
// DEL) percent-encoded: a model name in a path (Gemini's) cannot split the request.
void AppendRequestTarget(std::string& out, std::string_view target) {
  for (const char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte != 0x7f) {
      out.push_back(c);
    } else {
      fmt::format_to(std::back_inserter(out), "%{:02X}", byte);
    }
  }
}

// Every header goes through AppendHeaderField (http/header_value.h), whoever built the list: a
// per-call key, a configured header or a forwarded client header cannot add another.
std::string FormatRequestHead(const UpstreamRequest& request, const UpstreamEndpoint& endpoint) {
  std::string head;
  head.reserve(256 + request.headers.size() * 64);
  head.append(request.method).append(" ");
  AppendRequestTarget(head, request.target);
  fmt::format_to(std::back_inserter(head), " HTTP/1.1\r\nHost: {}\r\n", endpoint.HostHeader());
  for (const auto& [name, value] : request.headers) AppendHeaderField(head, name, value);
  if (request.method != "GET" || !request.body.empty()) {
    fmt::format_to(std::back_inserter(head), "Content-Length: {}\r\n", request.body.size());
  }
  head.append("\r\n");
  return head;
}

// Errors that mean a reused keep-alive connection had been closed by the server before our request
// reached it: safe to retry once on a fresh connection.
bool IsStaleConnectionError(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::eof;
}

}  // namespace

UpstreamExchange::UpstreamExchange(ConnectionPool& pool, const UpstreamEndpoint& endpoint,
                                   const UpstreamDeadlines& deadlines)
    : pool_(pool), endpoint_(endpoint), deadlines_(deadlines),
      total_deadline_(Clock::now() + deadlines.total) {
  ResetParser();
}

void UpstreamExchange::ResetParser() {
  parser_.emplace();
  parser_->header_limit(kMaxResponseHeader);
  parser_->body_limit(boost::none);
}

UpstreamExchange::~UpstreamExchange() {
  if (!connection_) return;
  if (done_ && !failed_ && !cancelled_ && parser_->keep_alive()) {
    pool_.Release(endpoint_, std::move(connection_));
  } else {
    connection_->Close();
  }
}

Clock::time_point UpstreamExchange::Cap(std::chrono::milliseconds timeout) const {
  return std::min(Clock::now() + timeout, total_deadline_);
}

Error UpstreamExchange::TranslateError(const boost::system::error_code& ec,
                                       std::string_view phase) const {
  if (cancelled_) return Error::Cancelled("the upstream attempt was cancelled");
  if (ec == beast::error::timeout) {
    if (Clock::now() >= total_deadline_ - std::chrono::milliseconds(1)) {
      return Error::UpstreamTimeout(fmt::format(
          "the provider did not finish within total_ms ({} ms)", deadlines_.total.count()));
    }
    if (!has_head_) {
      return Error::UpstreamTimeout(fmt::format(
          "the provider did not answer within first_byte_ms ({} ms)", deadlines_.first_byte.count()));
    }
    return Error::UpstreamTimeout(fmt::format(
        "the provider's response stalled for more than idle_ms ({} ms)", deadlines_.idle.count()));
  }
  // An answer that is not HTTP is the provider's fault, not the connection's.
  const bool closed = ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
                      ec == net::error::connection_reset || ec == net::error::eof;
  const bool parse_error =
      ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category();
  if (!has_head_ && !closed && parse_error) {
    return Error::UpstreamProtocol(fmt::format(
        "the provider's answer is not valid HTTP ({} while {})", ec.message(), phase));
  }
  if (!has_head_) {
    return Error::UpstreamConnect(fmt::format("the connection to the provider failed while {}: {}",
                                              phase, ec.message()));
  }
  return Error::UpstreamProtocol(
      fmt::format("the provider's response broke off while {}: {}", phase, ec.message()));
}

Task<Status> UpstreamExchange::Send(const UpstreamRequest& request) {
  bool retry_fresh = false;
  Status status = co_await SendOnce(request, /*allow_reuse=*/true, &retry_fresh);
  if (!status.ok() && retry_fresh && !cancelled_) {
    ResetParser();
    status = co_await SendOnce(request, /*allow_reuse=*/false, &retry_fresh);
  }
  if (!status.ok()) failed_ = true;
  co_return status;
}

Task<Status> UpstreamExchange::SendOnce(const UpstreamRequest& request, bool allow_reuse,
                                        bool* retry_fresh) {
  *retry_fresh = false;
  auto lease = co_await pool_.Acquire(endpoint_, Cap(deadlines_.connect), allow_reuse);
  if (cancelled_) co_return Error::Cancelled("the upstream attempt was cancelled");
  if (!lease) co_return std::move(lease).error();
  connection_ = std::move(lease->connection);
  const bool reused = lease->reused;

  connection_->SetDeadline(Cap(deadlines_.first_byte));
  const std::string head = FormatRequestHead(request, endpoint_);
  const std::array<net::const_buffer, 2> buffers = {net::buffer(head), net::buffer(request.body)};
  auto [wec, written] = co_await connection_->WithStream(
      [&](auto& stream) { return net::async_write(stream, buffers, kUseTuple); });
  if (wec) {
    *retry_fresh = reused && IsStaleConnectionError(wec);
    connection_->Close();
    co_return TranslateError(wec, "sending the request");
  }
  request_sent_ = true;
  // Beast reads as much as the buffer has room for, and at least 512 bytes: room for a typical
  // answer, head and body, makes it one read instead of one per 512 bytes (a 2 KB stream took five
  // reads and five writes to the client).
  connection_->buffer().reserve(kResponseReadSize);
  auto [rec, read] = co_await connection_->WithStream([&](auto& stream) {
    return bhttp::async_read_header(stream, connection_->buffer(), *parser_, kUseTuple);
  });
  if (rec) {
    *retry_fresh = reused && IsStaleConnectionError(rec) && !parser_->got_some();
    connection_->Close();
    co_return TranslateError(rec, "waiting for the response");
  }
  has_head_ = true;
  done_ = parser_->is_done();
  co_return Status();
}

std::string_view UpstreamExchange::Header(std::string_view name) const {
  const auto& head = parser_->get();
  auto it = head.find(name);
  return it == head.end() ? std::string_view{} : std::string_view(it->value());
}

Task<Result<std::size_t>> UpstreamExchange::ReadInto(char* data, std::size_t size,
                                                     bool release_idle_buffer) {
  while (!done_) {
    if (cancelled_ || !connection_) co_return Error::Cancelled("the upstream attempt was cancelled");
    if (release_idle_buffer) ReleaseIdleBuffer();
    auto& body = parser_->get().body();
    body.data = data;
    body.size = size;
    connection_->SetDeadline(Cap(deadlines_.idle));
    auto [ec, n] = co_await connection_->WithStream([&](auto& stream) {
      return bhttp::async_read_some(stream, connection_->buffer(), *parser_, kUseTuple);
    });
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      failed_ = true;
      connection_->Close();
      co_return TranslateError(ec, "reading the response body");
    }
    done_ = parser_->is_done();
    const std::size_t got = size - body.size;
    if (got > 0) co_return got;
  }
  co_return std::size_t{0};
}

Task<Result<std::string_view>> UpstreamExchange::ReadSome() {
  // Small while events trickle in (a stream holds its exchange open for as long as it lasts); as
  // large as what already arrived when events come in a burst, so that the burst is relayed in one
  // client write.
  const std::size_t buffered = connection_ ? connection_->buffer().size() : 0;
  const std::size_t want = std::clamp(buffered, kPieceSize, kMaxPieceSize);
  if (!piece_ || piece_size_ != want) {
    piece_ = std::make_unique_for_overwrite<char[]>(want);
    piece_size_ = want;
  }
  auto got = co_await ReadInto(piece_.get(), piece_size_, /*release_idle_buffer=*/true);
  if (!got) co_return std::move(got).error();
  co_return std::string_view(piece_.get(), *got);
}

Task<Result<std::string>> UpstreamExchange::ReadAll(std::size_t limit) {
  // Straight into the result: no piece buffer, no copy. The result grows geometrically, by what it
  // already holds (at least kReadAllStep, at most what a Content-Length says remains), so that each
  // byte is zero-filled and copied O(1) times and a declared length is not reserved before its
  // bytes come. (Growing it to the whole remaining length before every read, and shrinking it back
  // to what the read brought, zero-filled the rest each time: quadratic, 104 s for a 50 MB answer
  // on a loaded test machine against 8 s chunked.) One declared over the limit fails at once;
  // reading asks for one byte past the limit so that a chunked body over it is seen.
  std::string all;
  std::size_t used = 0;
  while (!done_) {
    const auto declared = parser_->content_length_remaining();
    if (used > limit || (declared && *declared > limit - used)) co_return TooLarge(limit);
    if (all.size() == used) {
      std::size_t grow = std::max(kReadAllStep, used);
      if (declared && *declared > 0) grow = std::min(grow, static_cast<std::size_t>(*declared));
      all.resize(used + std::min(grow, limit + 1 - used));
    }
    auto got = co_await ReadInto(all.data() + used, all.size() - used, /*release_idle_buffer=*/false);
    if (!got) co_return std::move(got).error();
    used += *got;
  }
  all.resize(used);
  if (used > limit) co_return TooLarge(limit);
  co_return all;
}

// A stream waits between events for as long as the provider takes: it gives back the read buffer's
// room once it holds no more than a chunk's framing (Beast then reads 512 bytes at a time, plenty
// for one event), so that thousands of open streams do not each hold kResponseReadSize.
void UpstreamExchange::ReleaseIdleBuffer() {
  auto& buffer = connection_->buffer();
  if (buffer.capacity() > 1024 && buffer.size() < 64) buffer.shrink_to_fit();
}

Error UpstreamExchange::TooLarge(std::size_t limit) {
  failed_ = true;
  if (connection_) connection_->Close();
  return Error::UpstreamProtocol(
      fmt::format("the provider's response is larger than {} bytes", limit));
}

void UpstreamExchange::Cancel() {
  cancelled_ = true;
  if (connection_) connection_->Close();
}

}  // namespace switchyard::http

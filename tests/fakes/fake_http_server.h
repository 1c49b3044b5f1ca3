// FakeHttpServer: a scriptable HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests of the
// upstream HTTP client. It runs on the test's io_context as coroutines, so a test drives client and
// server from one thread and everything happens in a deterministic order.
//
// Each accepted connection runs one script (a coroutine over a FakeConnection): the n-th connection
// runs the n-th script added, and connections past the last script run the last one. Canned scripts
// cover the usual cases (answer every request, close early, never answer); a test can also write
// its own, e.g. to send a chunked body piece by piece between its own steps.
//
// The server records what happened, in order, as short strings ("accept 1", "request 1 POST /v1/x",
// "peer-closed 1", "server-closed 1"), so tests assert on the order of events rather than on time.
//
// Ownership: the server owns its acceptor and connections; scripts must not outlive it. Call Stop()
// and let the io_context run before destroying it. Thread-safety: none; use from the io_context's
// thread only.
#pragma once

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/asio.h"

namespace switchyard::testing {

class FakeHttpServer;

// One accepted connection, as a script sees it.
class FakeConnection {
 public:
  FakeConnection(net::ip::tcp::socket socket, FakeHttpServer& server, int id)
      : socket_(std::move(socket)), server_(server), id_(id) {}

  int id() const { return id_; }

  // Reads one request: the head and, when it has a Content-Length, the body. Returns its raw bytes,
  // or nullopt when the peer closed the connection (recorded as "peer-closed N") or on an error.
  inline Task<std::optional<std::string>> ReadRequest();

  // Writes `bytes`; false on an error.
  Task<bool> Write(std::string bytes) {
    auto [ec, n] = co_await net::async_write(socket_, net::buffer(bytes), kUseTuple);
    co_return !ec;
  }

  // Reads and discards until the peer closes the connection or it fails.
  Task<> WaitForPeerClose() {
    for (;;) {
      char scratch[1024];
      auto [ec, n] = co_await socket_.async_read_some(net::buffer(scratch), kUseTuple);
      if (ec) {
        OnReadError(ec);
        co_return;
      }
    }
  }

  // Closes the connection from the server's side (recorded as "server-closed N").
  inline void Close();
  bool open() const { return socket_.is_open(); }

 private:
  inline void OnReadError(const boost::system::error_code& ec);

  net::ip::tcp::socket socket_;
  FakeHttpServer& server_;
  const int id_;
  std::string buffer_;  // bytes read but not yet returned as a request
};

class FakeHttpServer {
 public:
  using Script = std::function<Task<>(FakeConnection&)>;

  explicit FakeHttpServer(net::any_io_executor executor)
      : executor_(executor),
        acceptor_(executor, net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    net::co_spawn(executor_, AcceptLoop(), net::detached);
  }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;
  ~FakeHttpServer() { Stop(); }

  // The script for the next connection in order.
  void AddScript(Script script) { scripts_.push_back(std::move(script)); }

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  int accepted() const { return accepted_; }
  const std::vector<std::string>& events() const { return events_; }
  bool HasEvent(std::string_view event) const {
    return std::find(events_.begin(), events_.end(), event) != events_.end();
  }
  // Every request read, in order, as (connection id, raw bytes).
  const std::vector<std::pair<int, std::string>>& requests() const { return requests_; }

  // Stops accepting and closes every connection; their scripts then end.
  void Stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (const std::weak_ptr<FakeConnection>& weak : connections_) {
      if (auto connection = weak.lock(); connection && connection->open()) connection->Close();
    }
  }

  void Record(std::string event) { events_.push_back(std::move(event)); }
  void RecordRequest(int id, const std::string& request) {
    const std::size_t line_end = request.find("\r\n");
    std::string line = request.substr(0, line_end);
    if (const std::size_t version = line.rfind(' '); version != std::string::npos) {
      line.resize(version);
    }
    Record("request " + std::to_string(id) + " " + line);
    requests_.emplace_back(id, request);
  }

  // --- canned scripts --------------------------------------------------------------------------

  // Answers every request on the connection with `response`, until the peer closes it.
  static Script RespondToEach(std::string response) {
    return [response = std::move(response)](FakeConnection& connection) {
      return ServeEach(connection, response);
    };
  }
  // Answers one request with `response`, then closes the connection.
  static Script RespondOnceThenClose(std::string response) {
    return [response = std::move(response)](FakeConnection& connection) {
      return ServeOnceThenClose(connection, response);
    };
  }
  // Answers the first request with `response`; reads the second and closes without answering.
  static Script RespondOnceThenCloseOnNextRequest(std::string response) {
    return [response = std::move(response)](FakeConnection& connection) {
      return ServeOnceThenDropNext(connection, response);
    };
  }
  // Reads a request and closes the connection without answering.
  static Script CloseAfterRequest() {
    return [](FakeConnection& connection) { return DropNext(connection); };
  }
  // Reads a request and never answers; ends when the peer closes.
  static Script NeverRespond() {
    return [](FakeConnection& connection) { return ReadThenWait(connection); };
  }
  // Accepts and reads nothing; ends when the peer closes.
  static Script HoldOpen() {
    return [](FakeConnection& connection) { return connection.WaitForPeerClose(); };
  }

 private:
  Task<> AcceptLoop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
      if (ec) co_return;
      const int id = ++accepted_;
      Record("accept " + std::to_string(id));
      auto connection = std::make_shared<FakeConnection>(std::move(socket), *this, id);
      connections_.push_back(connection);
      const Script* script = nullptr;
      if (!scripts_.empty()) {
        script = &scripts_[std::min<std::size_t>(id - 1, scripts_.size() - 1)];
      }
      net::co_spawn(executor_, RunScript(std::move(connection), script), net::detached);
    }
  }

  static Task<> RunScript(std::shared_ptr<FakeConnection> connection, const Script* script) {
    if (script != nullptr) {
      co_await (*script)(*connection);
    } else {
      co_await connection->WaitForPeerClose();
    }
  }

  // (No co_await inside conditions here: GCC 12 miscompiles some of those.)
  static Task<> ServeEach(FakeConnection& connection, std::string response) {
    for (;;) {
      std::optional<std::string> request = co_await connection.ReadRequest();
      if (!request) co_return;
      const bool written = co_await connection.Write(response);
      if (!written) co_return;
    }
  }
  static Task<> ServeOnceThenClose(FakeConnection& connection, std::string response) {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (request) co_await connection.Write(response);
    connection.Close();
  }
  static Task<> ServeOnceThenDropNext(FakeConnection& connection, std::string response) {
    std::optional<std::string> first = co_await connection.ReadRequest();
    if (!first) co_return;
    const bool written = co_await connection.Write(response);
    if (!written) co_return;
    std::optional<std::string> second = co_await connection.ReadRequest();
    if (second) connection.Close();
  }
  static Task<> DropNext(FakeConnection& connection) {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (request) connection.Close();
  }
  static Task<> ReadThenWait(FakeConnection& connection) {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (request) co_await connection.WaitForPeerClose();
  }

  net::any_io_executor executor_;
  net::ip::tcp::acceptor acceptor_;
  const std::uint16_t port_ = acceptor_.local_endpoint().port();
  std::deque<Script> scripts_;  // a deque: scripts keep their address while more are added
  std::vector<std::weak_ptr<FakeConnection>> connections_;
  int accepted_ = 0;
  std::vector<std::string> events_;
  std::vector<std::pair<int, std::string>> requests_;
};

// A loopback port that refuses connections for as long as this object lives. A socket is bound to
// it but never listens, so a connection attempt gets a reset; and as the socket does not set
// SO_REUSEADDR, no other socket (say, a fake server of a test running in parallel) can take the
// port meanwhile, which closing a listener and reusing its port number could not guarantee.
class RefusingPort {
 public:
  explicit RefusingPort(net::any_io_executor executor) : socket_(executor) {
    socket_.open(net::ip::tcp::v4());
    socket_.bind(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
  }

 private:
  net::ip::tcp::socket socket_;
};

// A one-shot event between coroutines on one io_context: Wait() returns once Notify() was called
// (before or after Wait began).
class FakeSignal {
 public:
  explicit FakeSignal(net::any_io_executor executor)
      : timer_(executor, net::steady_timer::time_point::max()) {}
  void Notify() {
    notified_ = true;
    timer_.cancel();
  }
  bool notified() const { return notified_; }
  Task<> Wait() {
    while (!notified_) co_await timer_.async_wait(kUseTuple);
  }

 private:
  net::steady_timer timer_;
  bool notified_ = false;
};

// --- FakeConnection, out of line (it needs FakeHttpServer) --------------------------------------

namespace fake_http_internal {

// The Content-Length of a request head, or 0.
inline std::size_t ContentLength(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string_view key = "\r\ncontent-length:";
  const std::size_t at = lower.find(key);
  if (at == std::string::npos) return 0;
  return std::stoul(lower.substr(at + key.size()));
}

}  // namespace fake_http_internal

Task<std::optional<std::string>> FakeConnection::ReadRequest() {
  for (;;) {
    const std::size_t head_end = buffer_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::size_t total =
          head_end + 4 +
          fake_http_internal::ContentLength(std::string_view(buffer_).substr(0, head_end));
      if (buffer_.size() >= total) {
        std::string request = buffer_.substr(0, total);
        buffer_.erase(0, total);
        server_.RecordRequest(id_, request);
        co_return request;
      }
    }
    char chunk[4096];
    auto [ec, n] = co_await socket_.async_read_some(net::buffer(chunk), kUseTuple);
    if (ec) {
      OnReadError(ec);
      co_return std::nullopt;
    }
    buffer_.append(chunk, n);
  }
}

void FakeConnection::Close() {
  if (!socket_.is_open()) return;
  boost::system::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.Record("server-closed " + std::to_string(id_));
}

void FakeConnection::OnReadError(const boost::system::error_code& ec) {
  if (ec == net::error::eof) {
    server_.Record("peer-closed " + std::to_string(id_));
  } else if (ec == net::error::connection_reset) {
    server_.Record("peer-reset " + std::to_string(id_));
  }
}

}  // namespace switchyard::testing

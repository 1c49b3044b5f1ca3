#include "http/server/listener.h"

#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace switchyard::http {
namespace {

constexpr std::chrono::milliseconds kAcceptErrorPause{100};

void LogAcceptError(ConnectionGate* gate, const boost::system::error_code& ec) {
  if (gate == nullptr) {
    spdlog::warn("accept failed: {}", ec.message());
    return;
  }
  if (std::uint64_t count = gate->accept_error_log().Count(LogThrottle::Clock::now())) {
    spdlog::warn("accept failed: {} ({} time(s) since the last such line)", ec.message(), count);
  }
}

// The connection's place under the gate's caps; nullopt (logged now and then) when it is refused.
// A refused connection is closed at once, unanswered: answering would cost the very resources the
// cap protects, and a closed connection is what a client retries.
std::optional<ConnectionGate::Ticket> Admit(ConnectionGate& gate,
                                            const net::ip::tcp::socket& socket) {
  std::string client;
  if (gate.max_per_client() > 0) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (!ec) client = endpoint.address().to_string();
  }
  ConnectionGate::Refusal refusal = ConnectionGate::Refusal::kTotal;
  std::optional<ConnectionGate::Ticket> ticket = gate.Admit(client, &refusal);
  if (ticket) return ticket;
  if (std::uint64_t count = gate.refusal_log().Count(LogThrottle::Clock::now())) {
    if (refusal == ConnectionGate::Refusal::kTotal) {
      spdlog::warn("refused {} connection(s) since the last such line: limits.max_connections ({}) "
                   "are open", count, gate.max_total());
    } else {
      spdlog::warn("refused {} connection(s) since the last such line: a client address has "
                   "limits.max_connections_per_client ({}) open", count, gate.max_per_client());
    }
  }
  return std::nullopt;
}

}  // namespace

Listener::Listener(net::ip::tcp::acceptor acceptor) : acceptor_(std::move(acceptor)) {
  boost::system::error_code ec;
  port_ = acceptor_.local_endpoint(ec).port();
}

Result<std::unique_ptr<Listener>> Listener::Bind(net::io_context& io, const std::string& host,
                                                 std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return Error::Config(fmt::format("cannot listen on '{}': not an IP address", host));
  net::ip::tcp::endpoint endpoint(address, port);
  net::ip::tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) {
    const int one = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      ec.assign(errno, boost::system::system_category());
    }
  }
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Config(fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
  }
  return std::unique_ptr<Listener>(new Listener(std::move(acceptor)));
}

void Listener::Start(SessionOptions options) {
  net::co_spawn(acceptor_.get_executor(), AcceptLoop(std::move(options)), net::detached);
}

void Listener::Close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

Task<> Listener::AcceptLoop(SessionOptions options) {
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) break;
      // Out of file descriptors (EMFILE, ENFILE) and similar: the connection stays in the backlog
      // and the next accept fails the same way at once, so pause rather than spin, and log once in
      // a while rather than per failure.
      LogAcceptError(options.gate, ec);
      net::steady_timer pause(acceptor_.get_executor(), kAcceptErrorPause);
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    std::optional<ConnectionGate::Ticket> ticket =
        options.gate != nullptr ? Admit(*options.gate, socket) : std::nullopt;
    if (options.gate != nullptr && !ticket) continue;  // refused: the socket closes with its scope
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    net::co_spawn(acceptor_.get_executor(),
                  RunSession(std::move(socket), options, std::move(ticket)), net::detached);
  }
}

}  // namespace switchyard::http

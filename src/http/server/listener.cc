#include "http/server/listener.h"

#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace switchyard::http {

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
      // Out of file descriptors and similar: log and keep accepting rather than die.
      // Pause briefly so that a persistent error does not spin the thread.
      spdlog::warn("accept failed: {}", ec.message());
      net::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    net::co_spawn(acceptor_.get_executor(), RunSession(std::move(socket), options), net::detached);
  }
}

}  // namespace switchyard::http

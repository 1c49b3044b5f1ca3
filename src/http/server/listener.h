// Listener: accepts client connections on one worker's io_context and runs a session for each.
// Every worker has its own listening socket on the same address (SO_REUSEPORT), so the kernel spreads
// connections across workers and no connection ever crosses threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "core/asio.h"
#include "core/result.h"
#include "http/server/session.h"

namespace switchyard::http {

class Listener {
 public:
  // Binds host:port (port 0 picks a free port; later listeners reuse the port the first one got).
  static Result<std::unique_ptr<Listener>> Bind(net::io_context& io, const std::string& host,
                                                std::uint16_t port);

  std::uint16_t port() const { return port_; }
  // Accepts until Close(). `options` must outlive the listener's sessions.
  void Start(SessionOptions options);
  // Stops accepting; sessions already running go on.
  void Close();

 private:
  explicit Listener(net::ip::tcp::acceptor acceptor);
  Task<> AcceptLoop(SessionOptions options);

  net::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
};

}  // namespace switchyard::http

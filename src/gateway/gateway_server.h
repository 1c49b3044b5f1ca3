// GatewayServer: the running gateway — one io_context, thread, listener, connection pool and
// endpoint table per worker, over one shared GatewayState. Shutdown() drains gracefully: listeners
// close at once, idle connections close, in-flight calls get up to the grace period to finish.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "gateway/gateway_state.h"
#include "http/server/connection_gate.h"
#include "http/server/listener.h"

namespace switchyard::gateway {

class GatewayServer {
 public:
  // REQUIRES: state->Prepare() succeeded; `state` outlives the server.
  GatewayServer(const GatewayState& state, int threads);
  ~GatewayServer();

  // Binds every worker's listener to host:port (port 0: a free one, shared by all workers).
  Status Listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const { return port_; }

  // Starts the worker threads; returns at once.
  void Start();
  // Drains and stops; returns when every worker thread has ended. Thread-safe; idempotent.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  struct WorkerSlot {
    WorkerSlot(const GatewayState& state, int index)
        : work(io.get_executor()), worker(state, io, index) {}
    net::io_context io{1};
    net::executor_work_guard<net::io_context::executor_type> work;
    Worker worker;
    http::EndpointTable endpoints;
    http::SessionRegistry registry;
    std::unique_ptr<http::Listener> listener;
    std::thread thread;
  };

  // How long calls cut off after the grace period get to record themselves.
  static constexpr std::chrono::milliseconds kCloseGrace{2000};

  std::size_t OpenConnections() const;
  void StopBackgroundWork();
  // Waits until no connection is open or `limit` has passed; true when none is open.
  bool WaitForConnections(std::chrono::milliseconds limit) const;

  const GatewayState& state_;
  http::ConnectionGate gate_;  // every worker's connections count against it
  std::vector<std::unique_ptr<WorkerSlot>> workers_;
  std::uint16_t port_ = 0;
  std::once_flag shutdown_once_;
};

}  // namespace switchyard::gateway

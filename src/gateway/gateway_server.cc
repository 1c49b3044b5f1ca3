#include "gateway/gateway_server.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "gateway/endpoints.h"
#include "http/server/fd_limit.h"

namespace switchyard::gateway {

namespace {

std::uint64_t MaxConnections(const http::ClientLimits& limits) {
  if (limits.max_connections > 0) return limits.max_connections;
  return http::DefaultMaxConnections(http::CurrentFdLimit());
}

}  // namespace

GatewayServer::GatewayServer(const GatewayState& state, int threads)
    : state_(state),
      gate_(MaxConnections(state.config.client), state.config.client.max_connections_per_client) {
  for (int i = 0; i < threads; ++i) {
    auto slot = std::make_unique<WorkerSlot>(state, i);
    slot->endpoints = BuildEndpointTable(slot->worker);
    workers_.push_back(std::move(slot));
  }
}

GatewayServer::~GatewayServer() { Shutdown(std::chrono::milliseconds(0)); }

Status GatewayServer::Listen(const std::string& host, std::uint16_t port) {
  for (auto& slot : workers_) {
    auto listener = http::Listener::Bind(slot->io, host, port);
    if (!listener) return listener.error();
    port = (*listener)->port();  // the first may have picked a free port: the rest share it
    slot->listener = std::move(listener).value();
  }
  port_ = port;
  return Status();
}

void GatewayServer::Start() {
  for (auto& slot : workers_) {
    http::SessionOptions options;
    options.endpoints = &slot->endpoints;
    options.limits = state_.config.client;
    options.registry = &slot->registry;
    options.gate = &gate_;
    options.format_error = SessionErrorHandler(state_);
    slot->listener->Start(options);
    slot->thread = std::thread([io = &slot->io] { io->run(); });
  }
}

void GatewayServer::Shutdown(std::chrono::milliseconds grace) {
  std::call_once(shutdown_once_, [&] {
    for (auto& slot : workers_) {
      net::post(slot->io, [slot = slot.get()] {
        if (slot->listener) slot->listener->Close();
        slot->registry.Drain();
      });
    }
    if (!WaitForConnections(grace)) {
      // Past the grace period: close the busy connections too. Their calls see the client gone,
      // cancel their upstream attempts and record them, which takes a moment; then stop for good.
      spdlog::warn("shutdown: {} connection(s) still busy after the grace period; closing them",
                   OpenConnections());
      for (auto& slot : workers_) {
        net::post(slot->io, [slot = slot.get()] { slot->registry.CloseAll(); });
      }
      WaitForConnections(kCloseGrace);
    }
    StopBackgroundWork();
    for (auto& slot : workers_) {
      net::post(slot->io, [slot = slot.get()] { slot->worker.pool.Clear(); });
      slot->work.reset();
      slot->io.stop();
    }
    for (auto& slot : workers_) {
      if (slot->thread.joinable()) slot->thread.join();
    }
  });
}

// An experiment's shadow and judge calls after the last answers: cancelled, and given a moment to
// record what they spent, before the workers stop.
void GatewayServer::StopBackgroundWork() {
  for (auto& slot : workers_) {
    net::post(slot->io, [slot = slot.get()] { slot->worker.background.CancelAll(); });
  }
  const auto deadline = std::chrono::steady_clock::now() + kCloseGrace;
  auto running = [this] {
    std::size_t count = 0;
    for (const auto& slot : workers_) count += slot->worker.background.running();
    return count;
  };
  while (running() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (running() > 0) spdlog::warn("shutdown: {} background task(s) did not end", running());
}

std::size_t GatewayServer::OpenConnections() const {
  std::size_t open = 0;
  for (const auto& slot : workers_) open += slot->registry.open_connections();
  return open;
}

bool GatewayServer::WaitForConnections(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (OpenConnections() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace switchyard::gateway

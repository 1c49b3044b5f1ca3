// ConnectionPool: keep-alive connections to providers, per worker thread, keyed by scheme+host+port.
// Acquire() hands out an idle connection that still looks alive, or connects a new one; Release()
// takes a connection back after a complete exchange. Idle connections older than the idle limit are
// dropped.
//
// One pool per worker thread; not thread-safe (no lock on the hot path).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/asio.h"
#include "core/result.h"
#include "http/client/upstream_connection.h"

namespace switchyard::http {

class ConnectionPool {
 public:
  struct Options {
    std::size_t max_idle_per_host = 256;
    std::chrono::milliseconds max_idle_time{60'000};
  };

  ConnectionPool(net::any_io_executor executor, net::ssl::context& tls_context, Options options);
  ConnectionPool(net::any_io_executor executor, net::ssl::context& tls_context)
      : ConnectionPool(std::move(executor), tls_context, Options{}) {}

  struct Lease {
    std::unique_ptr<UpstreamConnection> connection;
    bool reused = false;  // came from the pool (it may still turn out to be closed by the peer)
  };
  // REQUIRES: allow_reuse false forces a new connection (used to retry after a stale one).
  Task<Result<Lease>> Acquire(const UpstreamEndpoint& endpoint,
                              UpstreamConnection::Clock::time_point connect_deadline,
                              bool allow_reuse = true);
  void Release(const UpstreamEndpoint& endpoint, std::unique_ptr<UpstreamConnection> connection);

  std::size_t IdleCountForTest(const std::string& pool_key) const;
  // Closes every idle connection (shutdown).
  void Clear() { idle_.clear(); }

 private:
  net::any_io_executor executor_;
  net::ssl::context& tls_context_;
  Options options_;
  std::unordered_map<std::string, std::deque<std::unique_ptr<UpstreamConnection>>> idle_;
};

}  // namespace switchyard::http

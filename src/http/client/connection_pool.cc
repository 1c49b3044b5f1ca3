#include "http/client/connection_pool.h"

namespace switchyard::http {

ConnectionPool::ConnectionPool(net::any_io_executor executor, net::ssl::context& tls_context,
                               Options options)
    : executor_(std::move(executor)), tls_context_(tls_context), options_(options) {}

Task<Result<ConnectionPool::Lease>> ConnectionPool::Acquire(
    const UpstreamEndpoint& endpoint, UpstreamConnection::Clock::time_point connect_deadline,
    bool allow_reuse) {
  if (allow_reuse) {
    auto it = idle_.find(endpoint.pool_key);
    const auto now = UpstreamConnection::Clock::now();
    while (it != idle_.end() && !it->second.empty()) {
      // Most recently used first: the one least likely to have been closed by the server.
      std::unique_ptr<UpstreamConnection> connection = std::move(it->second.back());
      it->second.pop_back();
      if (now - connection->idle_since < options_.max_idle_time && connection->LooksAlive()) {
        co_return Lease{std::move(connection), true};
      }
    }
  }
  auto connected = co_await UpstreamConnection::Connect(executor_, tls_context_, endpoint,
                                                        connect_deadline);
  if (!connected) co_return std::move(connected).error();
  co_return Lease{std::move(connected).value(), false};
}

void ConnectionPool::Release(const UpstreamEndpoint& endpoint,
                             std::unique_ptr<UpstreamConnection> connection) {
  if (!connection || !connection->open() || options_.max_idle_per_host == 0) return;
  connection->ClearDeadline();
  connection->idle_since = UpstreamConnection::Clock::now();
  auto& idle = idle_[endpoint.pool_key];
  if (idle.size() >= options_.max_idle_per_host) idle.pop_front();  // drop the oldest
  idle.push_back(std::move(connection));
}

std::size_t ConnectionPool::IdleCountForTest(const std::string& pool_key) const {
  auto it = idle_.find(pool_key);
  return it == idle_.end() ? 0 : it->second.size();
}

}  // namespace switchyard::http

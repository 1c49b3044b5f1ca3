#include "http/server/connection_gate.h"

#include <utility>

namespace switchyard::http {

std::uint64_t LogThrottle::Count(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  ++held_back_;
  if (last_line_ && now - *last_line_ < interval_) return 0;
  last_line_ = now;
  return std::exchange(held_back_, 0);
}

std::optional<ConnectionGate::Ticket> ConnectionGate::Admit(const std::string& client,
                                                            Refusal* refusal) {
  if (open_.fetch_add(1, std::memory_order_relaxed) >= max_total_) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    *refusal = Refusal::kTotal;
    return std::nullopt;
  }
  if (max_per_client_ == 0) return Ticket(this, {});
  std::lock_guard lock(mutex_);
  std::uint64_t& mine = per_client_[client];
  if (mine >= max_per_client_) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    *refusal = Refusal::kPerClient;
    return std::nullopt;
  }
  ++mine;
  return Ticket(this, client);
}

void ConnectionGate::Release(const std::string& client) {
  if (max_per_client_ > 0) {
    std::lock_guard lock(mutex_);
    auto it = per_client_.find(client);
    if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }
  open_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace switchyard::http

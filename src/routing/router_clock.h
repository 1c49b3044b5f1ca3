// RouterClock: the router's source of time — the steady clock's reading for deadlines and
// strategies, and the wait before a retry. Injected, so that tests drive deadlines and backoff
// with a clock of their own and never sleep.
#pragma once

#include <chrono>

#include "core/asio.h"
#include "routing/health.h"

namespace switchyard::routing {

class RouterClock {
 public:
  virtual ~RouterClock() = default;
  virtual SteadyTime Now() const = 0;
  // Resumes after `wait`, on the awaiting coroutine's executor.
  virtual Task<> Sleep(std::chrono::milliseconds wait) = 0;
};

// The steady clock and an Asio timer on the caller's executor.
class SteadyRouterClock final : public RouterClock {
 public:
  SteadyTime Now() const override { return std::chrono::steady_clock::now(); }
  Task<> Sleep(std::chrono::milliseconds wait) override;
};

}  // namespace switchyard::routing

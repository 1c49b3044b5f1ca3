// RouterClock: the router's source of time — the steady clock's reading for deadlines and
// strategies, and alarms for every wait: the backoff before a retry, a hedge's delay, a lane's
// end. Injected, so that tests drive deadlines, backoff and hedges with a clock of their own
// (virtual time) and never sleep.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "core/asio.h"
#include "routing/health.h"

namespace switchyard::routing {

// A wait that ends at a time on its clock or when rung, whichever comes first; one waiter at a
// time. A ring while nobody waits is kept for the next wait, which then returns at once: a wake-up
// is never missed, and every waiter re-checks what it waits for anyway.
class Alarm {
 public:
  virtual ~Alarm() = default;
  virtual Task<> WaitUntil(SteadyTime deadline) = 0;
  virtual void Ring() = 0;
};

class RouterClock {
 public:
  virtual ~RouterClock() = default;
  virtual SteadyTime Now() const = 0;
  // An alarm whose waits resume on `executor`.
  virtual std::unique_ptr<Alarm> NewAlarm(const net::any_io_executor& executor) = 0;
};

// The steady clock and Asio timers.
class SteadyRouterClock final : public RouterClock {
 public:
  SteadyTime Now() const override { return std::chrono::steady_clock::now(); }
  std::unique_ptr<Alarm> NewAlarm(const net::any_io_executor& executor) override;
};

}  // namespace switchyard::routing

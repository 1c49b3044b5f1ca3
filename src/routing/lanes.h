// Lanes: the steps of one plan in flight at once, each a coroutine spawned on the call's executor
// (its strand: they never run at the same instant, so the router's state needs no lock). The
// router launches a lane when the launch policy leaves room and waits for room or for all of them;
// it never returns while one is still running, so what lanes refer to outlives them.
//
// With room for one lane only (every sequential plan) a lane runs inside the launching coroutine
// instead, and no wake-up timer is made: spawning and waking cost a one-target call 3.7 us more
// (bench/micro/router_bench.cc, BM_RouterOneTargetSpawned 7.7 us vs BM_RouterOneTarget 4.0 us;
// strace -c showed the timer's timerfd_settime and an extra epoll_wait per call). The router then
// costs about 0.5 us over the same steps done inline (3.4 us).
//
// A lane that throws (only bad_alloc can) has its exception rethrown by WaitForAll.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <optional>

#include "core/asio.h"

namespace switchyard::routing {

class Lanes {
 public:
  // At most `limit` lanes in flight (at least one).
  Lanes(const net::any_io_executor& executor, int limit)
      : executor_(executor), limit_(limit < 1 ? 1 : limit) {}
  Lanes(const Lanes&) = delete;
  Lanes& operator=(const Lanes&) = delete;

  // Runs `lane`: to its end when only one may be in flight, else spawned. Call after WaitForRoom.
  Task<> Launch(Task<> lane);
  // Returns once another lane may be launched (at once when one may).
  Task<> WaitForRoom();
  Task<> WaitForAll();

  int in_flight() const { return in_flight_; }

 private:
  Task<> WaitForChange();

  net::any_io_executor executor_;
  // Made with the first spawned lane. Never expires: a lane's end cancels it, which is what wakes
  // the router. (Every check of in_flight_ and the wait that follows it happen with no suspension
  // between them, on one strand, so no wake-up is missed.)
  std::optional<net::steady_timer> wake_;
  const int limit_;
  int in_flight_ = 0;
  std::exception_ptr failure_;
};

}  // namespace switchyard::routing

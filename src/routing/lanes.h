// Lanes: the steps of one plan in flight at once, each a coroutine spawned on the call's executor
// (its strand: they never run at the same instant, so the router's state needs no lock). The
// router launches a lane when its launch policy allows (routing/launch_policy.h) and waits for a
// change — a lane's end, a time (a hedge's delay), or a ring (another attempt claimed the call);
// it never returns while a lane is still running, so what lanes refer to outlives them.
//
// With room for one lane only (every sequential plan) a lane runs inside the launching coroutine
// instead, and no alarm is made: spawning and waking cost a one-target call 3.7 us more
// (bench/micro/router_bench.cc, BM_RouterOneTargetSpawned 7.7 us vs BM_RouterOneTarget 4.0 us;
// strace -c showed the timer's timerfd_settime and an extra epoll_wait per call). The router then
// costs about 0.5 us over the same steps done inline (3.4 us).
//
// A lane that throws (only bad_alloc can) has its exception rethrown by WaitForAll.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <exception>
#include <memory>

#include "core/asio.h"
#include "routing/router_clock.h"

namespace switchyard::routing {

class Lanes {
 public:
  // At most `limit` lanes in flight (at least one).
  Lanes(const net::any_io_executor& executor, int limit, RouterClock& clock)
      : executor_(executor), clock_(clock), limit_(limit < 1 ? 1 : limit) {}
  Lanes(const Lanes&) = delete;
  Lanes& operator=(const Lanes&) = delete;

  // Runs `lane`: to its end when only one may be in flight, else spawned.
  // REQUIRES: in_flight() < limit().
  Task<> Launch(Task<> lane);
  // Returns once a lane has ended, `deadline` has come, or Ring() was called (since the last
  // wait). Spurious returns are possible: the caller re-checks what it waits for.
  Task<> WaitForChange(SteadyTime deadline = SteadyTime::max());
  Task<> WaitForAll();
  // Wakes a WaitForChange (the call was claimed: no further lane is worth launching).
  void Ring();

  int in_flight() const { return in_flight_; }
  int limit() const { return limit_; }
  bool has_room() const { return in_flight_ < limit_; }

 private:
  net::any_io_executor executor_;
  RouterClock& clock_;
  // Made with the first spawned lane; a lane's end rings it.
  std::unique_ptr<Alarm> wake_;
  const int limit_;
  int in_flight_ = 0;
  std::exception_ptr failure_;
};

}  // namespace switchyard::routing

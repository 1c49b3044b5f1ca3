// Lanes: the steps of one plan in flight at once, each a coroutine spawned on the call's executor
// (its strand: they never run at the same instant, so the router's state needs no lock). The
// router starts a lane when the launch policy leaves room and waits for room or for all of them;
// it never returns while one is still running, so what lanes refer to outlives them.
//
// A lane that throws (only bad_alloc can) has its exception rethrown by WaitForAll.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>

#include "core/asio.h"

namespace switchyard::routing {

class Lanes {
 public:
  explicit Lanes(const net::any_io_executor& executor) : wake_(executor) {}
  Lanes(const Lanes&) = delete;
  Lanes& operator=(const Lanes&) = delete;

  void Start(Task<> lane);
  // Returns once fewer than `limit` lanes are in flight (at once when there already are).
  Task<> WaitForRoom(int limit);
  Task<> WaitForAll();

  int in_flight() const { return in_flight_; }

 private:
  Task<> WaitForChange();

  // Never expires: a lane's end cancels it, which is what wakes the router. (Every check of
  // in_flight_ and the wait that follows it happen with no suspension between them, on one
  // strand, so no wake-up is missed.)
  net::steady_timer wake_;
  int in_flight_ = 0;
  std::exception_ptr failure_;
};

}  // namespace switchyard::routing

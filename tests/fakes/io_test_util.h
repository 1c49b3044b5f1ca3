// Helpers for tests that run coroutines on an io_context from the test's own thread.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>

#include "core/asio.h"

namespace switchyard::testing {

// Runs handlers on `io` until `done()` holds. The wall-clock bound is only a safety net so that a
// broken build fails instead of hanging; no correct outcome depends on it.
template <class Predicate>
bool RunUntil(net::io_context& io, Predicate done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) {
      ADD_FAILURE() << "gave up waiting: the io_context never reached the expected state";
      return false;
    }
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(100));
  }
  return true;
}

// Spawns the coroutine `make_task()` on `io` and runs `io` (and whatever else is on it, such as a
// fake server) until the coroutine finishes. Exceptions from the coroutine are rethrown here.
// `make_task` stays alive for the whole run, so a capturing lambda coroutine is safe.
template <class MakeTask>
void RunTask(net::io_context& io, MakeTask&& make_task) {
  bool done = false;
  std::exception_ptr failure;
  net::co_spawn(io, make_task(), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  RunUntil(io, [&] { return done; });
  if (failure) std::rethrow_exception(failure);
}

// Runs whatever is ready or becomes ready on `io` until nothing is left (after a server's Stop()),
// within the same safety bound.
inline void Drain(net::io_context& io) {
  io.restart();
  io.run_for(std::chrono::seconds(5));
}

}  // namespace switchyard::testing

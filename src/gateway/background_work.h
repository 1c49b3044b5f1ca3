// BackgroundWork: a worker's tasks that run after the client has its answer (an `ab` experiment's
// shadow and judge calls): started detached on the worker's io_context, counted, and cancelled
// together at shutdown, so that the server can wait for them to end (and record what they spent)
// before it stops the worker — no coroutine frame outlives the worker it runs on.
//
// One per worker. Spawn, Join, Leave and CancelAll on the worker's thread; running() from any.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "core/asio.h"
#include "gateway/cancel_scope.h"

namespace switchyard::gateway {

class BackgroundWork final : public CancelScope {
 public:
  BackgroundWork() = default;
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // Runs `task` on `executor` without waiting for it; refused (false, the task never runs) once
  // CancelAll has run: the gateway is stopping.
  bool Spawn(const net::any_io_executor& executor, Task<> task);

  void Join(int n, std::function<void()> cancel) override;
  void Leave(int n) override;

  // Cancels every member's exchange and refuses new tasks.
  void CancelAll();

  // Tasks started and not yet ended.
  std::size_t running() const { return running_.load(std::memory_order_acquire); }

 private:
  std::vector<std::pair<int, std::function<void()>>> members_;
  std::atomic<std::size_t> running_{0};
  bool stopping_ = false;
};

}  // namespace switchyard::gateway

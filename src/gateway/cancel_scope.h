// CancelScope: what cancels a group of exchanges at once — a call's watch on its client
// (gateway/client_watch.h: the client left) or a worker's background work (gateway/
// background_work.h: the gateway is shutting down). An exchange joins with its own way to stop and
// leaves when it no longer waits. Single-threaded: used on one worker's thread.
#pragma once

#include <functional>

namespace switchyard::gateway {

class CancelScope {
 public:
  // Member `n` waits: `cancel` stops it if the scope is cancelled.
  virtual void Join(int n, std::function<void()> cancel) = 0;
  // Member `n` no longer waits.
  virtual void Leave(int n) = 0;

 protected:
  ~CancelScope() = default;
};

}  // namespace switchyard::gateway

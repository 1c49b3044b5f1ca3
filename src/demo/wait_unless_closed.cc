#include "demo/wait_unless_closed.h"

namespace switchyard::demo {

Task<bool> WaitUnlessClosed(http::Downstream& downstream, net::steady_timer& timer,
                            std::chrono::milliseconds delay) {
  if (downstream.client_gone()) co_return false;
  timer.expires_after(delay);
  // on_gone runs on this thread, while the wait is pending (StopWatching ends the watch first).
  downstream.StartWatching([&timer] { timer.cancel(); });
  co_await timer.async_wait(kUseTuple);
  co_await downstream.StopWatching();
  co_return !downstream.client_gone();
}

}  // namespace switchyard::demo

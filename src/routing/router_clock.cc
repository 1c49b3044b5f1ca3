#include "routing/router_clock.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

namespace switchyard::routing {

Task<> SteadyRouterClock::Sleep(std::chrono::milliseconds wait) {
  net::steady_timer timer(co_await net::this_coro::executor, wait);
  co_await timer.async_wait(kUseTuple);
}

}  // namespace switchyard::routing

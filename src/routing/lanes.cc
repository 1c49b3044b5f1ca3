#include "routing/lanes.h"

#include <boost/asio/co_spawn.hpp>
#include <utility>

namespace switchyard::routing {

void Lanes::Start(Task<> lane) {
  ++in_flight_;
  net::co_spawn(wake_.get_executor(), std::move(lane), [this](std::exception_ptr failure) {
    if (failure && !failure_) failure_ = failure;
    --in_flight_;
    wake_.cancel();
  });
}

Task<> Lanes::WaitForChange() {
  wake_.expires_at(net::steady_timer::time_point::max());
  co_await wake_.async_wait(kUseTuple);
}

Task<> Lanes::WaitForRoom(int limit) {
  while (in_flight_ >= limit) co_await WaitForChange();
}

Task<> Lanes::WaitForAll() {
  while (in_flight_ > 0) co_await WaitForChange();
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

}  // namespace switchyard::routing

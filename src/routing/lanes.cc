#include "routing/lanes.h"

#include <boost/asio/co_spawn.hpp>
#include <utility>

namespace switchyard::routing {

Task<> Lanes::Launch(Task<> lane) {
  if (limit_ == 1) {
    co_await std::move(lane);
    co_return;
  }
  if (!wake_) wake_ = clock_.NewAlarm(executor_);
  ++in_flight_;
  net::co_spawn(executor_, std::move(lane), [this](std::exception_ptr failure) {
    if (failure && !failure_) failure_ = failure;
    --in_flight_;
    wake_->Ring();
  });
}

Task<> Lanes::WaitForChange(SteadyTime deadline) {
  if (!wake_) wake_ = clock_.NewAlarm(executor_);
  co_await wake_->WaitUntil(deadline);
}

void Lanes::Ring() {
  if (wake_) wake_->Ring();
}

Task<> Lanes::WaitForAll() {
  while (in_flight_ > 0) co_await WaitForChange();
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

}  // namespace switchyard::routing

#include "routing/router_clock.h"

#include <boost/asio/steady_timer.hpp>

namespace switchyard::routing {
namespace {

class SteadyAlarm final : public Alarm {
 public:
  explicit SteadyAlarm(const net::any_io_executor& executor) : timer_(executor) {}

  Task<> WaitUntil(SteadyTime deadline) override {
    if (rung_) {
      rung_ = false;
      co_return;
    }
    timer_.expires_at(deadline);
    waiting_ = true;
    co_await timer_.async_wait(kUseTuple);  // cancelled by Ring, or expired
    waiting_ = false;
    rung_ = false;
  }

  void Ring() override {
    if (waiting_) {
      timer_.cancel();
    } else {
      rung_ = true;
    }
  }

 private:
  net::steady_timer timer_;
  bool waiting_ = false;
  bool rung_ = false;
};

}  // namespace

std::unique_ptr<Alarm> SteadyRouterClock::NewAlarm(const net::any_io_executor& executor) {
  return std::make_unique<SteadyAlarm>(executor);
}

}  // namespace switchyard::routing

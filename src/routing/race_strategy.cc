// `race`: every step at once (up to the route's max_parallel), in the order the route writes them;
// the first acceptable answer wins and the others are cancelled (routing/commit_point.h).
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class Race final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures&,
                                 RoutingContext&) const override {
    return internal::WrittenOrder(plan);
  }
  LaunchMode launch_mode() const override { return LaunchMode::kRace; }
};

}  // namespace

const Strategy& RaceStrategy() {
  static const Race strategy;
  return strategy;
}

}  // namespace switchyard::routing

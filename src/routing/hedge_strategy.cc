// `hedge`: the steps in the order the route writes them; the next starts when those in flight
// have not answered (first byte, for streams) within the route's delay, or at once when they have
// failed. The first acceptable answer wins and the others are cancelled.
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class Hedge final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures&,
                                 RoutingContext&) const override {
    return internal::WrittenOrder(plan);
  }
  LaunchMode launch_mode() const override { return LaunchMode::kHedge; }
};

}  // namespace

const Strategy& HedgeStrategy() {
  static const Hedge strategy;
  return strategy;
}

}  // namespace switchyard::routing

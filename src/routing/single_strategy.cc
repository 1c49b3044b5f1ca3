// `single`: the plan's one step (config validation gives a single route exactly one target).
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class Single final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures&,
                                 RoutingContext&) const override {
    if (plan.steps.empty()) return {};
    return {0};
  }
};

}  // namespace

const Strategy& SingleStrategy() {
  static const Single strategy;
  return strategy;
}

}  // namespace switchyard::routing

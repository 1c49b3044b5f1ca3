// `loadbalance`: one step picked at random in proportion to its weight, then the others as
// fallbacks, heaviest first (ties in written order), so that a failing pick still falls over.
//
// With `sticky: KEY`, a call whose metadata has KEY picks by a stable hash of its value instead of
// a random draw: the same value always lands on the same step (while the weights stay the same),
// and different values spread by the weights. A call without KEY picks at random.
#include <algorithm>

#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class LoadBalance final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                 RoutingContext& context) const override {
    if (plan.steps.empty()) return {};
    double point;
    auto sticky = plan.sticky.empty() ? features.metadata.end()
                                      : features.metadata.find(plan.sticky);
    if (sticky != features.metadata.end()) {
      point = internal::HashToUnit(sticky->second);
    } else {
      point = internal::Uniform01(context);
    }
    const std::size_t pick = internal::PickWeighted(plan, point);

    std::vector<std::size_t> order = internal::WrittenOrder(plan);
    order.erase(order.begin() + static_cast<std::ptrdiff_t>(pick));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return plan.steps[a].weight > plan.steps[b].weight;
    });
    order.insert(order.begin(), pick);
    return order;
  }
};

}  // namespace

const Strategy& LoadBalanceStrategy() {
  static const LoadBalance strategy;
  return strategy;
}

}  // namespace switchyard::routing

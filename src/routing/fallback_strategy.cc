// `fallback`: every step, in the order the route writes them.
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class Fallback final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures&,
                                 RoutingContext&) const override {
    return internal::WrittenOrder(plan);
  }
};

}  // namespace

const Strategy& FallbackStrategy() {
  static const Fallback strategy;
  return strategy;
}

}  // namespace switchyard::routing

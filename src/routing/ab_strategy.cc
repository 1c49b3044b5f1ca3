// `ab`: one variant of an experiment per call (issue 17). The gateway assigns it from the
// experiment's shares in force (RequestFeatures::variant: a promotion or a stop changes them at
// run time); without that, the configured shares (the steps' weights) decide, by the sticky
// metadata value when the call has one (experiments/assignment.h: the same user always gets the
// same variant for one epoch), else by a draw.
//
// Only the assigned variant is tried: falling over to another variant would serve the call with a
// variant it was not assigned, and the experiment's error rate would hide the failure. A variant
// that should fall over names a fallback route as its target.
#include "experiments/assignment.h"
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

class Ab final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                 RoutingContext& context) const override {
    if (features.variant && *features.variant < plan.steps.size()) return {*features.variant};
    if (plan.steps.empty()) return {};
    auto sticky =
        plan.sticky.empty() ? features.metadata.end() : features.metadata.find(plan.sticky);
    if (sticky == features.metadata.end()) {
      return {internal::PickWeighted(plan, internal::Uniform01(context))};
    }
    std::vector<double> shares;
    shares.reserve(plan.steps.size());
    for (const PlanStep& step : plan.steps) shares.push_back(step.weight);
    const std::optional<std::size_t> pick =
        experiments::AssignVariant(shares, plan.epoch, sticky->second);
    if (!pick) return {};
    return {*pick};
  }
};

}  // namespace

const Strategy& AbStrategy() {
  static const Ab strategy;
  return strategy;
}

}  // namespace switchyard::routing

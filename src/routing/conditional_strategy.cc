// `conditional`: the target of the first rule whose conditions all hold for this call, else the
// route's default. It picks exactly one step and never falls over to another rule's target: for
// resilience, make a rule's target a fallback route.
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

bool Matches(const config::RouteCondition& rule, const RequestFeatures& features) {
  for (const auto& [key, value] : rule.metadata) {
    auto found = features.metadata.find(key);
    if (found == features.metadata.end() || found->second != value) return false;
  }
  if (rule.inbound && *rule.inbound != features.inbound) return false;
  if (rule.model && *rule.model != features.model) return false;
  if (rule.has_tools && *rule.has_tools != features.has_tools) return false;
  if (rule.has_images && *rule.has_images != features.has_images) return false;
  if (rule.stream && *rule.stream != features.stream) return false;
  if (rule.min_input_tokens && features.input_tokens < *rule.min_input_tokens) return false;
  return true;
}

class Conditional final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                 RoutingContext&) const override {
    std::size_t pick = plan.default_step;
    for (const config::RouteCondition& rule : plan.conditions) {
      if (Matches(rule, features)) {
        pick = rule.target;
        break;
      }
    }
    if (pick >= plan.steps.size()) return {};  // a malformed plan; config validation prevents it
    return {pick};
  }
};

}  // namespace

const Strategy& ConditionalStrategy() {
  static const Conditional strategy;
  return strategy;
}

}  // namespace switchyard::routing

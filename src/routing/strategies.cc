// The strategy registry: name → strategy, one line each. A strategy's name here is the `strategy:`
// of a route (config/route_section.cc validates names against the same list).
#include <array>

#include "routing/strategy_support.h"

namespace switchyard::routing {

// Each defined in routing/<name>_strategy.cc.
const Strategy& SingleStrategy();
const Strategy& FallbackStrategy();
const Strategy& LoadBalanceStrategy();
const Strategy& CheapestStrategy();
const Strategy& FastestStrategy();
const Strategy& ConditionalStrategy();
const Strategy& RaceStrategy();
const Strategy& HedgeStrategy();
const Strategy& AbStrategy();

namespace {

struct Registration {
  std::string_view name;
  const Strategy& (*get)();
};

constexpr std::array kStrategies = {
    Registration{"single", SingleStrategy},
    Registration{"fallback", FallbackStrategy},
    Registration{"loadbalance", LoadBalanceStrategy},
    Registration{"cheapest", CheapestStrategy},
    Registration{"fastest", FastestStrategy},
    Registration{"conditional", ConditionalStrategy},
    Registration{"race", RaceStrategy},
    Registration{"hedge", HedgeStrategy},
    Registration{"ab", AbStrategy},
};

}  // namespace

const Strategy* FindStrategy(std::string_view name) {
  for (const Registration& registration : kStrategies) {
    if (registration.name == name) return &registration.get();
  }
  return nullptr;
}

std::vector<std::size_t> OrderSteps(const Plan& plan, const RequestFeatures& features,
                                    RoutingContext& context) {
  const Strategy* strategy = plan.ordering != nullptr ? plan.ordering : FindStrategy(plan.strategy);
  std::vector<std::size_t> order =
      strategy != nullptr ? strategy->Order(plan, features, context) : internal::WrittenOrder(plan);
  if (order.size() > 1) internal::MoveUnavailableLast(plan, context, &order);
  return order;
}

std::string TargetKey(const PlannedTarget& target) {
  if (!target.key.empty()) return target.key;
  const bool named = target.provider != nullptr && target.provider->config != nullptr;
  return (named ? target.provider->config->name : std::string("?")) + "/" + target.model;
}

std::optional<std::int64_t> ContextWindowOf(const pricing::PriceCatalog* catalog,
                                            const PlannedTarget& target) {
  if (catalog == nullptr) return std::nullopt;
  const pricing::Capabilities* caps =
      catalog->FindCapabilities(internal::CatalogProviderName(*catalog, target), target.model);
  return caps != nullptr ? caps->context_window : std::nullopt;
}

}  // namespace switchyard::routing

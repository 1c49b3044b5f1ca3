#include "routing/strategy_support.h"

#include <algorithm>
#include <numeric>

#include "core/fnv1a.h"

namespace switchyard::routing::internal {

double Uniform01(RoutingContext& context) {
  if (context.rng == nullptr) return 0.0;
  return static_cast<double>((*context.rng)() >> 11) * 0x1.0p-53;
}

std::vector<std::size_t> WrittenOrder(const Plan& plan) {
  std::vector<std::size_t> order(plan.steps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  return order;
}

std::size_t PickWeighted(const Plan& plan, double point) {
  // Weights are shares of any size (0.7 and 0.3 split like 7 and 3); config validation keeps them
  // positive and finite, and a step without a share here is never picked.
  double total = 0;
  for (const PlanStep& step : plan.steps) total += std::max(step.weight, 0.0);
  if (!(total > 0)) return 0;
  // Compare in weight units: the slice boundaries are the running sums of the weights.
  const double target = point * total;
  double upto = 0;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    upto += std::max(plan.steps[i].weight, 0.0);
    if (target < upto) return i;
  }
  return plan.steps.size() - 1;  // point rounded up to 1.0
}

double HashToUnit(std::string_view text) {
  // FNV-1a's low bits are weak (the lowest is the parity of the bytes' lowest bits): mix them.
  std::uint64_t h = Fnv1a64(text);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

std::vector<const PlannedTarget*> StepLeaves(const PlanStep& step) {
  if (step.route) return step.route->Leaves();
  return {&step.target};
}

std::string_view KeyOf(const PlannedTarget& target, std::string* scratch) {
  if (!target.key.empty()) return target.key;
  *scratch = TargetKey(target);
  return *scratch;
}

bool StepAvailable(const PlanStep& step, const RoutingContext& context) {
  if (context.health == nullptr) return true;
  std::string scratch;
  for (const PlannedTarget* target : StepLeaves(step)) {
    if (context.health->Available(KeyOf(*target, &scratch), context.now)) return true;
  }
  return false;
}

void MoveUnavailableLast(const Plan& plan, const RoutingContext& context,
                         std::vector<std::size_t>* order) {
  if (context.health == nullptr) return;
  std::stable_partition(order->begin(), order->end(), [&](std::size_t index) {
    return StepAvailable(plan.steps[index], context);
  });
}

std::string_view CatalogProviderName(const pricing::PriceCatalog& catalog,
                                     const PlannedTarget& target) {
  if (target.provider == nullptr || target.provider->config == nullptr) return {};
  const config::ProviderConfig& provider = *target.provider->config;
  if (provider.profile == nullptr || catalog.FindModel(provider.name, target.model) != nullptr) {
    return provider.name;
  }
  return provider.profile->name;
}

}  // namespace switchyard::routing::internal

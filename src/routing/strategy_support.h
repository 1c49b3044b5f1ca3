// Helpers shared by the strategies (routing/*_strategy.cc) and the registry: chance, weights,
// hashing, health and catalog look-ups over a plan's steps. Not for use outside routing/.
// Pure functions apart from the draws on context.rng.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "routing/strategy.h"

namespace switchyard::routing::internal {

// A uniform draw in [0, 1) from context.rng (53 bits; 0 when there is no generator).
double Uniform01(RoutingContext& context);

// 0, 1, ..., steps - 1.
std::vector<std::size_t> WrittenOrder(const Plan& plan);

// The step whose share of the total weight contains `point` (in [0, 1)): steps own consecutive
// slices of [0, 1) in written order, each as wide as its weight over the total.
std::size_t PickWeighted(const Plan& plan, double point);

// `text` hashed to a point in [0, 1): FNV-1a, then a 64-bit finalizer (MurmurHash3's fmix64) so
// that similar texts ("u1", "u2") land far apart.
double HashToUnit(std::string_view text);

// The targets a step stands for: itself, or every leaf of its nested route.
std::vector<const PlannedTarget*> StepLeaves(const PlanStep& step);

// TargetKey(target) without a copy when the target carries its key (PlannedTarget::key, made when
// the plan was compiled); else made into `scratch`.
std::string_view KeyOf(const PlannedTarget& target, std::string* scratch);

// Whether any of the step's targets is available in context.health (all are without a registry).
bool StepAvailable(const PlanStep& step, const RoutingContext& context);

// Moves the steps of `order` that are not available to its end, keeping both groups' order.
void MoveUnavailableLast(const Plan& plan, const RoutingContext& context,
                         std::vector<std::size_t>* order);

// The provider name the catalog lists `target` under: its configured name when the catalog (with
// the config's price overrides) has the model there, else its known host's name.
std::string_view CatalogProviderName(const pricing::PriceCatalog& catalog,
                                     const PlannedTarget& target);

}  // namespace switchyard::routing::internal

// `fastest`: the steps in order of live latency — time to first token for a stream, total latency
// otherwise — from the latency tracker's recent averages (a nested route counts as its fastest
// target); ties keep the written order.
//
// Exploration, so that estimates stay true: a step with no estimate, or only one older than
// RoutingOptions::stale_after, goes first (the first such in written order; the others follow
// the measured steps). Otherwise, with probability RoutingOptions::explore_probability, one of the
// slower steps, chosen uniformly, goes first. One draw from the generator per call.
#include <algorithm>
#include <optional>

#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

// The step's fastest fresh estimate, in ms; empty when none of its targets has one.
std::optional<double> FreshEstimate(const PlanStep& step, LatencyMetric metric,
                                    const RoutingContext& context) {
  if (context.latency == nullptr) return std::nullopt;
  std::optional<double> best;
  std::string scratch;
  for (const PlannedTarget* target : internal::StepLeaves(step)) {
    const auto estimate = context.latency->Estimate(internal::KeyOf(*target, &scratch), metric);
    if (!estimate || estimate->samples == 0) continue;
    if (context.now - estimate->last_sample > context.options.stale_after) continue;
    if (!best || estimate->average_ms < *best) best = estimate->average_ms;
  }
  return best;
}

class Fastest final : public Strategy {
 public:
  std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                 RoutingContext& context) const override {
    const LatencyMetric metric = features.stream ? LatencyMetric::kTtft : LatencyMetric::kTotal;
    std::vector<std::optional<double>> estimates;
    std::vector<std::size_t> measured, unmeasured;
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      estimates.push_back(FreshEstimate(plan.steps[i], metric, context));
      (estimates.back() ? measured : unmeasured).push_back(i);
    }
    std::stable_sort(measured.begin(), measured.end(),
                     [&](std::size_t a, std::size_t b) { return *estimates[a] < *estimates[b]; });
    const double draw = internal::Uniform01(context);

    std::vector<std::size_t> order;
    order.reserve(plan.steps.size());
    if (!unmeasured.empty()) {
      order.push_back(unmeasured.front());
      order.insert(order.end(), measured.begin(), measured.end());
      order.insert(order.end(), unmeasured.begin() + 1, unmeasured.end());
      return order;
    }
    const double epsilon = context.options.explore_probability;
    if (measured.size() > 1 && draw < epsilon) {
      // draw / epsilon is uniform in [0, 1): it picks one of the slower steps.
      const std::size_t slower = measured.size() - 1;
      const std::size_t pick =
          1 + std::min(slower - 1, static_cast<std::size_t>(draw / epsilon * double(slower)));
      std::rotate(measured.begin(), measured.begin() + static_cast<std::ptrdiff_t>(pick),
                  measured.begin() + static_cast<std::ptrdiff_t>(pick) + 1);
    }
    return measured;
  }
};

}  // namespace

const Strategy& FastestStrategy() {
  static const Fastest strategy;
  return strategy;
}

}  // namespace switchyard::routing

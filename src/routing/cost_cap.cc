#include "routing/cost_cap.h"

#include <algorithm>
#include <functional>

#include "pricing/cost.h"
#include "routing/strategy.h"
#include "routing/strategy_support.h"

namespace switchyard::routing {
namespace {

std::optional<std::int64_t> TargetWorstCase(const PlannedTarget& target,
                                            const RequestFeatures& features,
                                            const pricing::PriceCatalog& catalog,
                                            std::chrono::system_clock::time_point request_time) {
  const std::string_view provider = internal::CatalogProviderName(catalog, target);
  const pricing::Capabilities* caps = catalog.FindCapabilities(provider, target.model);
  std::optional<std::int64_t> output = features.max_tokens;
  if (!output && caps != nullptr) output = caps->max_output_tokens;
  canonical::Usage usage;
  usage.input_tokens = std::max<std::int64_t>(features.input_tokens, 0);
  usage.output_tokens = std::max<std::int64_t>(output.value_or(RoutingOptions{}.default_output_tokens), 0);
  usage.reported = true;
  return pricing::PriceAttempt(catalog, provider, target.model, usage, request_time);
}

}  // namespace

std::optional<std::int64_t> WorstCaseCost(const PlanStep& step, const config::RetryPolicy& retry,
                                          const RequestFeatures& features,
                                          const pricing::PriceCatalog* catalog,
                                          std::chrono::system_clock::time_point request_time) {
  if (catalog == nullptr) return std::nullopt;
  // A nested route's targets are tried under its own retry policy.
  const int tries = std::max(step.route ? step.route->retry.attempts : retry.attempts, 1);
  std::int64_t total = 0;
  for (const PlannedTarget* target : internal::StepLeaves(step)) {
    const std::optional<std::int64_t> one = TargetWorstCase(*target, features, *catalog, request_time);
    if (!one) return std::nullopt;
    total += *one * tries;
  }
  return total;
}

CallWorstCase WorstCaseOfCall(const Plan& plan, const RequestFeatures& features,
                              const pricing::PriceCatalog* catalog,
                              std::chrono::system_clock::time_point request_time,
                              int max_parallel_attempts) {
  CallWorstCase worst;
  std::vector<std::int64_t> steps;
  bool known = true;
  const config::RetryPolicy one_try;  // attempts: 1
  for (const PlanStep& step : plan.steps) {
    const std::optional<std::int64_t> cost =
        WorstCaseCost(step, one_try, features, catalog, request_time);
    if (!cost) {
      known = false;
      continue;
    }
    steps.push_back(*cost);
  }
  if (!known) return worst;
  std::sort(steps.begin(), steps.end(), std::greater<>());
  const std::size_t together =
      plan.launch.mode == LaunchMode::kSequential
          ? 1
          : static_cast<std::size_t>(std::max(1, std::min(plan.launch.max_in_flight,
                                                          max_parallel_attempts)));
  std::int64_t total = 0;
  for (std::size_t i = 0; i < steps.size() && i < together; ++i) total += steps[i];
  worst.nanos = total;
  worst.free = steps.empty() || steps.front() == 0;
  return worst;
}

bool CostCap::Admit(std::optional<std::int64_t> worst) {
  const bool first = std::exchange(first_, false);
  if (!cap_) return true;
  if (first) {
    spent_ += worst.value_or(0);
    return true;
  }
  if (!worst || spent_ + *worst > *cap_) return false;
  spent_ += *worst;
  return true;
}

}  // namespace switchyard::routing

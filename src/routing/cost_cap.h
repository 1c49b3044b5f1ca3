// CostCap: `max_cost_usd` of a race or hedge — the worst-case spend the steps it starts may add up
// to. A step's worst case is what every attempt it may make could cost at list price: the
// estimated prompt at the input price plus the output the call may produce (its max_tokens, else
// the model's max output from the catalog, else RoutingOptions::default_output_tokens) at the
// output price, times the target's tries, summed over a nested route's targets. Unknown when any
// target has no price.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pricing/price_catalog.h"
#include "routing/model_resolver.h"
#include "routing/request_features.h"

namespace switchyard::routing {

std::optional<std::int64_t> WorstCaseCost(const PlanStep& step, const config::RetryPolicy& retry,
                                          const RequestFeatures& features,
                                          const pricing::PriceCatalog* catalog,
                                          std::chrono::system_clock::time_point request_time);

// What a call may spend at once, for a budget's reservation (CONTRACT.md "Governance"): a plan
// that tries one step at a time reserves its most expensive step's single try (a fallback, its
// most expensive target); a race or hedge the sum of its `max_in_flight` most expensive steps,
// held to `max_parallel_attempts` (a race reserves all its racers). `nanos` is empty when any
// target has no price; `free` when every target's worst case is known to be 0 (a local model).
struct CallWorstCase {
  std::optional<std::int64_t> nanos;
  bool free = false;
};
CallWorstCase WorstCaseOfCall(const Plan& plan, const RequestFeatures& features,
                              const pricing::PriceCatalog* catalog,
                              std::chrono::system_clock::time_point request_time,
                              int max_parallel_attempts);

class CostCap {
 public:
  explicit CostCap(std::optional<std::int64_t> cap) : cap_(cap) {}

  // Whether a step of worst case `worst` may start; if so, counts it. The first step always
  // starts (a race of one is a plain call); after it, an unknown worst case never does.
  bool Admit(std::optional<std::int64_t> worst);
  bool capped() const { return cap_.has_value(); }

 private:
  std::optional<std::int64_t> cap_;
  std::int64_t spent_ = 0;
  bool first_ = true;
};

}  // namespace switchyard::routing

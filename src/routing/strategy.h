// Strategy: decides, for one call, the order in which a plan's steps are tried. Each strategy is
// one small file (routing/*_strategy.cc) registered by one line in routing/strategies.cc; none
// knows about HTTP, providers' errors or the body of the request — only the plan, the request's
// features and the shared routing state in RoutingContext.
//
// The router (routing/router.h) asks OrderSteps() for the order, tries the steps in it (a nested
// route's step runs its own plan the same way) until one succeeds or the call is decided, and after
// every attempt that reached the provider reports its outcome (routing/attempt_feedback.h): to the
// health registry, and on success its latency to the latency tracker.
//
// Strategies are stateless and shared; Order() is safe from any thread given a RoutingContext of
// its own (the random generator in it is not thread-safe: one per worker).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pricing/price_catalog.h"
#include "routing/health.h"
#include "routing/latency_tracker.h"
#include "routing/launch_policy.h"
#include "routing/model_resolver.h"
#include "routing/request_features.h"

namespace switchyard::routing {

// Tunables of the strategies; the defaults are the documented behaviour.
struct RoutingOptions {
  // cheapest: the output tokens a request without max_tokens is expected to produce.
  std::int64_t default_output_tokens = 1000;
  // fastest: the chance that a call tries another target than the fastest first, so that every
  // estimate keeps being refreshed; and the age after which an estimate counts as none at all.
  double explore_probability = 0.05;
  std::chrono::milliseconds stale_after{5 * 60'000};
};

// The shared state a strategy may consult, and the injected sources of chance and time. Pointers
// are borrowed for the duration of one OrderSteps() call.
struct RoutingContext {
  std::mt19937_64* rng = nullptr;              // the worker's generator; null: every draw is 0
  const HealthRegistry* health = nullptr;      // null: every target is healthy
  const LatencyTracker* latency = nullptr;     // null: no latency is known
  const pricing::PriceCatalog* catalog = nullptr;  // null: no price or capability is known
  SteadyTime now{};                            // the steady clock's reading for this decision
  std::chrono::system_clock::time_point request_time{};  // picks the prices in force (UTC)
  RoutingOptions options;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // Indices into plan.steps in the order to try them, each at most once. It may return fewer than
  // all steps (`single` and `conditional` return one); never more, never an index out of range.
  // Draws from context.rng at most a fixed number of times per call.
  virtual std::vector<std::size_t> Order(const Plan& plan, const RequestFeatures& features,
                                         RoutingContext& context) const = 0;

  // How the router starts the steps in that order (routing/launch_policy.h): one after another
  // unless the strategy races or hedges them.
  virtual LaunchMode launch_mode() const { return LaunchMode::kSequential; }
};

// The strategy registered under `name`, or nullptr. The reference lives for the program.
const Strategy* FindStrategy(std::string_view name);

// The order to try `plan`'s steps in for this call: the plan's strategy's order (written order for
// an unknown strategy name, which config validation rules out), then — when there is more than one
// step — every step whose targets are all unavailable (open circuit or cooling down) moved to the
// end, keeping the relative order of both groups. Nothing is ever dropped for health.
std::vector<std::size_t> OrderSteps(const Plan& plan, const RequestFeatures& features,
                                    RoutingContext& context);

// "provider/model" as configured: the key of `target` in the health registry and latency tracker.
// The resolver's targets carry it made (PlannedTarget::key, which a std::string_view API can take
// without a copy); for a target built by hand it is made here.
std::string TargetKey(const PlannedTarget& target);

// The context window the catalog gives `target` (under the name the catalog lists its provider
// by); nullopt when `catalog` is null or does not say.
std::optional<std::int64_t> ContextWindowOf(const pricing::PriceCatalog* catalog,
                                            const PlannedTarget& target);

}  // namespace switchyard::routing

// ModelResolver: turns the model a client asked for into a plan — the targets to try, in order,
// and how. A model is a route name from the config, "provider/model", or a bare model name that
// exactly one provider lists (CONTRACT.md, "Model names").
//
// Built once at startup from the config; immutable and thread-safe afterwards.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "routing/launch_policy.h"
#include "routing/provider_runtime.h"

namespace switchyard::routing {

struct PlannedTarget {
  const ProviderRuntime* provider = nullptr;
  std::string model;        // as the provider knows it
  std::string params_json;  // route target parameters; empty when none
  std::optional<config::Millis> timeout;  // the target's total deadline override
};

struct Plan;

// One step of a plan: a target, or a nested route that runs as a unit with its own strategy and
// retry policy (the outer plan moves on only when the nested one has failed as a whole).
struct PlanStep {
  PlannedTarget target;               // used when `route` is null
  std::shared_ptr<const Plan> route;  // a nested route's plan
  double weight = 1;                  // the step's share under `loadbalance` (any positive number)
};

// A plan is the route as configured; the strategy (routing/strategy.h) decides per call in which
// order its steps are tried. `steps` follow the route's targets one for one, so indices in
// `conditions` and `default_step` are indices into `steps`.
struct Plan {
  std::string route;      // the route's name; empty for a direct model
  std::string strategy;   // single | fallback | loadbalance | cheapest | fastest | conditional
  std::vector<PlanStep> steps;
  config::RetryPolicy retry;
  LaunchPolicy launch;    // how many steps run at once (routing/launch_policy.h)
  std::string sticky;     // loadbalance: the metadata key whose value pins the pick; empty: none
  std::vector<config::RouteCondition> conditions;  // conditional: rule → steps[rule.target]
  std::size_t default_step = 0;                    // conditional: when no rule matches

  // Every target, nested ones included, in the order they could be tried.
  std::vector<const PlannedTarget*> Leaves() const;
};

class ModelResolver {
 public:
  // REQUIRES: `providers` outlives the resolver and holds every provider of `config`.
  ModelResolver(const config::Config& config, const std::vector<ProviderRuntime>& providers);

  // Errors: kInvalidRequest for an ambiguous bare name (listing the candidates), kNotFound for an
  // unknown provider, route or model.
  Result<Plan> Resolve(std::string_view model) const;

  // The plan of `route`: a configured route, or an inline one (x-switchyard-route) that
  // config::ParseInlineRoute has checked against the same config. The plan copies what it needs.
  Result<Plan> ResolveRoute(const config::RouteConfig& route) const;

  const ProviderRuntime* FindProvider(std::string_view name) const;

 private:
  Result<PlannedTarget> ResolveDirect(std::string_view model) const;
  // The plan of a route. `params_json` and `timeout` come from the target that named the route (if
  // any) and apply to every target inside it: the outer route's parameters win, and the shorter
  // timeout wins.
  Result<Plan> PlanRoute(const config::RouteConfig& route, std::string_view params_json,
                         std::optional<config::Millis> timeout, int depth) const;

  const config::Config& config_;
  const std::vector<ProviderRuntime>& providers_;
};

}  // namespace switchyard::routing

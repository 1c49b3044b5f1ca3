// ModelResolver: turns the model a client asked for into a plan — the targets to try, in order,
// and how. A model is a route name from the config, "provider/model", or a bare model name that
// exactly one provider lists (CONTRACT.md, "Model names").
//
// Built once at startup from the config, when it compiles every configured route and every model a
// provider lists into an immutable plan (params merged, targets resolved, keys made); a call for one
// of them only looks its plan up. Immutable and thread-safe afterwards.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accept/accept_policy.h"
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
  // "provider/model" as configured: the target's key in the health registry and latency tracker
  // (what TargetKey returns), made once when the plan is compiled. Empty in a target built by hand.
  // The `{}` keeps brace-initialising only the fields above free of -Wmissing-field-initializers.
  std::string key{};
};

class Strategy;

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
  // race and hedge: what makes an answer acceptable beyond a success status, compiled once; null:
  // any success is.
  std::shared_ptr<const accept::AcceptPolicy> accept;
  std::string sticky;     // loadbalance, ab: the metadata key whose value pins the pick; empty: none
  std::string epoch;      // ab: the experiment's epoch (config/experiment_config.h); else empty
  std::vector<config::RouteCondition> conditions;  // conditional: rule → steps[rule.target]
  std::size_t default_step = 0;                    // conditional: when no rule matches
  // The strategy `strategy` names (routing/strategy.h), found when the plan is compiled; null in
  // a plan built by hand (OrderSteps then looks it up by name).
  const Strategy* ordering = nullptr;

  // Every target, nested ones included, in the order they could be tried.
  std::vector<const PlannedTarget*> Leaves() const;
};

class ModelResolver {
 public:
  // Compiles the plan of every configured route and of every model a provider lists (as
  // "provider/model", and bare when only that provider lists it). Errors: kConfig naming the
  // route that cannot be planned and why (a target that names no configured provider, nesting
  // deeper than limits.max_route_depth): every call of it would fail.
  // REQUIRES: `config` and `providers` outlive the resolver; `providers` holds every provider of
  // `config`.
  static Result<std::unique_ptr<ModelResolver>> Create(
      const config::Config& config, const std::vector<ProviderRuntime>& providers);

  // The plan of `model`. Errors: kInvalidRequest for an ambiguous bare name (listing the
  // candidates), kNotFound for an unknown provider, route or model.
  //
  // A configured route's or a listed model's plan is the one compiled at startup: the handle does
  // not own it (no reference count is touched, by any thread; the resolver keeps it alive). Any
  // other "provider/model" (every model name is allowed) gets a plan of its own, owned by the
  // handle: one target, no params, no look-up beyond the provider's name.
  Result<std::shared_ptr<const Plan>> Resolve(std::string_view model) const;

  // The plan of `route`: a configured route (one of config.routes: its compiled plan), or an
  // inline one (x-switchyard-route) that config::ParseInlineRoute has checked against the same
  // config, compiled for this call by the same code (the configured routes it names without params
  // or a timeout of their own are shared, not copied).
  Result<std::shared_ptr<const Plan>> ResolveRoute(const config::RouteConfig& route) const;

  const ProviderRuntime* FindProvider(std::string_view name) const;

 private:
  ModelResolver(const config::Config& config, const std::vector<ProviderRuntime>& providers);

  // Fills route_plans_ and by_name_; the first route that cannot be planned is the error.
  Status Compile();

  Result<PlannedTarget> ResolveDirect(std::string_view model) const;
  // The plan of a route. `params_json` and `timeout` come from the target that named the route (if
  // any) and apply to every target inside it: the outer route's parameters win, and the shorter
  // timeout wins.
  Result<Plan> PlanRoute(const config::RouteConfig& route, std::string_view params_json,
                         std::optional<config::Millis> timeout, int depth) const;
  // The compiled plan of a configured route; null for an inline route or before Compile got to it.
  const std::shared_ptr<const Plan>* CompiledRoute(const config::RouteConfig& route) const;

  // Hashes std::string and std::string_view alike, so that a look-up by the request's model
  // (a view into the body) needs no string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };

  const config::Config& config_;
  const std::vector<ProviderRuntime>& providers_;
  std::vector<std::shared_ptr<const Plan>> route_plans_;  // config_.routes[i] → its plan
  // Every name with a compiled plan: route names, then "provider/model" and bare listed models.
  std::unordered_map<std::string, std::shared_ptr<const Plan>, NameHash, std::equal_to<>> by_name_;
};

}  // namespace switchyard::routing

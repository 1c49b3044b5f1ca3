#include "routing/model_resolver.h"

#include <fmt/format.h>

#include <algorithm>

#include "json/object_rewrite.h"
#include "json/object_scan.h"
#include "routing/strategy.h"

namespace switchyard::routing {

namespace {

// How the route's strategy starts its steps, with the route's caps: a race or hedge may have every
// target in flight unless max_parallel says fewer (the router also holds it to
// routing.max_parallel_attempts).
LaunchPolicy LaunchPolicyOf(const config::RouteConfig& route, const Strategy* strategy) {
  LaunchPolicy launch;
  launch.mode = strategy != nullptr ? strategy->launch_mode() : LaunchMode::kSequential;
  if (launch.mode == LaunchMode::kSequential) return launch;
  launch.max_in_flight =
      route.max_parallel.value_or(static_cast<int>(std::max<std::size_t>(route.targets.size(), 1)));
  launch.hedge.fixed = route.hedge.fixed;
  launch.hedge.quantile = route.hedge.quantile;
  launch.max_cost_nanos = route.max_cost_nanos;
  return launch;
}

// A handle to a plan the resolver owns: the aliasing constructor over an empty owner gives a
// pointer without a control block, so copying and dropping it is free of atomic counts, which
// every worker would otherwise contend for on each call.
std::shared_ptr<const Plan> Borrowed(const std::shared_ptr<const Plan>& plan) {
  return std::shared_ptr<const Plan>(std::shared_ptr<const Plan>(), plan.get());
}

PlannedTarget MakeTarget(const ProviderRuntime* provider, std::string model) {
  PlannedTarget target{provider, std::move(model), {}, std::nullopt, {}};
  target.key = TargetKey(target);
  return target;
}

// The plan of a direct model: its one target, tried alone.
std::shared_ptr<const Plan> DirectPlan(PlannedTarget target) {
  auto plan = std::make_shared<Plan>();
  plan->strategy = "single";
  plan->ordering = FindStrategy(plan->strategy);
  plan->steps.push_back({std::move(target), nullptr});
  return plan;
}

}  // namespace

ModelResolver::ModelResolver(const config::Config& config,
                             const std::vector<ProviderRuntime>& providers)
    : config_(config), providers_(providers) {}

Result<std::unique_ptr<ModelResolver>> ModelResolver::Create(
    const config::Config& config, const std::vector<ProviderRuntime>& providers) {
  std::unique_ptr<ModelResolver> resolver(new ModelResolver(config, providers));
  if (Status compiled = resolver->Compile(); !compiled.ok()) return compiled.error();
  return resolver;
}

Status ModelResolver::Compile() {
  route_plans_.assign(config_.routes.size(), nullptr);
  for (std::size_t i = 0; i < config_.routes.size(); ++i) {
    const config::RouteConfig& route = config_.routes[i];
    auto plan = PlanRoute(route, {}, std::nullopt, 0);
    if (!plan) {
      return Error::Config(
          fmt::format("cannot plan route '{}': {}", route.name, plan.error().message));
    }
    route_plans_[i] = std::make_shared<const Plan>(std::move(plan).value());
    by_name_.try_emplace(route.name, route_plans_[i]);
  }
  // A listed model under both its names, each planned as a call naming it would be (a route of
  // the same name wins; a bare name several providers list stays an error made per call).
  auto add_direct = [this](std::string name) {
    if (by_name_.contains(name)) return;
    auto target = ResolveDirect(name);
    if (target) by_name_.emplace(std::move(name), DirectPlan(std::move(target).value()));
  };
  for (const ProviderRuntime& provider : providers_) {
    for (const std::string& model : provider.config->models) {
      add_direct(fmt::format("{}/{}", provider.config->name, model));
      add_direct(model);
    }
  }
  return Status();
}

const std::shared_ptr<const Plan>* ModelResolver::CompiledRoute(
    const config::RouteConfig& route) const {
  const config::RouteConfig* first = config_.routes.data();
  if (&route < first || &route >= first + config_.routes.size()) return nullptr;
  const std::shared_ptr<const Plan>& plan = route_plans_[static_cast<std::size_t>(&route - first)];
  return plan ? &plan : nullptr;
}

const ProviderRuntime* ModelResolver::FindProvider(std::string_view name) const {
  for (const ProviderRuntime& provider : providers_) {
    if (provider.config->name == name) return &provider;
  }
  return nullptr;
}

Result<PlannedTarget> ModelResolver::ResolveDirect(std::string_view model) const {
  const std::size_t slash = model.find('/');
  if (slash != std::string_view::npos) {
    if (const ProviderRuntime* provider = FindProvider(model.substr(0, slash))) {
      const std::string_view name = model.substr(slash + 1);
      if (name.empty()) {
        return Error::InvalidRequest(fmt::format("model '{}' names no model after the provider",
                                                 model), "model");
      }
      return MakeTarget(provider, std::string(name));
    }
  }
  // A bare name (which may itself contain '/', as OpenRouter's do): the providers that list it.
  std::vector<const ProviderRuntime*> offering;
  for (const ProviderRuntime& provider : providers_) {
    for (const std::string& listed : provider.config->models) {
      if (listed == model) offering.push_back(&provider);
    }
  }
  if (offering.size() == 1) return MakeTarget(offering[0], std::string(model));
  if (offering.size() > 1) {
    std::string candidates;
    for (const ProviderRuntime* provider : offering) {
      if (!candidates.empty()) candidates += ", ";
      candidates += fmt::format("{}/{}", provider->config->name, model);
    }
    return Error::InvalidRequest(
        fmt::format("model '{}' is offered by several providers; name one: {}", model, candidates),
        "model");
  }
  if (slash != std::string_view::npos) {
    return Error::NotFound(fmt::format("provider '{}' is not configured", model.substr(0, slash)),
                           "model_not_found");
  }
  return Error::NotFound(
      fmt::format("model '{}' is not a configured route or a model any provider lists; "
                  "write it as provider/model", model),
      "model_not_found");
}

namespace {

// `inner` with the members of `outer` laid over it (both JSON objects from the validated config, or
// empty), merged in the raw bytes so that every value keeps the spelling the config gave it.
std::string MergeParams(std::string_view inner, std::string_view outer) {
  if (outer.empty()) return std::string(inner);
  if (inner.empty()) return std::string(outer);
  auto inner_scan = json::ScanObject(inner);
  auto outer_scan = json::ScanObject(outer);
  if (!inner_scan || !outer_scan) return std::string(outer);
  std::vector<json::Edit> edits;
  for (const json::Member& member : outer_scan->members) {
    edits.push_back({member.key, std::string(json::ValueText(outer, member))});
  }
  return json::RewriteObject(inner, *inner_scan, edits);
}

std::optional<config::Millis> ShorterTimeout(std::optional<config::Millis> a,
                                             std::optional<config::Millis> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The routes in the deepest chain of `plan`, its own counted.
int Height(const Plan& plan) {
  int nested = 0;
  for (const PlanStep& step : plan.steps) {
    if (step.route) nested = std::max(nested, Height(*step.route));
  }
  return 1 + nested;
}

void CollectLeaves(const Plan& plan, std::vector<const PlannedTarget*>* out) {
  for (const PlanStep& step : plan.steps) {
    if (step.route) {
      CollectLeaves(*step.route, out);
    } else {
      out->push_back(&step.target);
    }
  }
}

}  // namespace

std::vector<const PlannedTarget*> Plan::Leaves() const {
  std::vector<const PlannedTarget*> out;
  CollectLeaves(*this, &out);
  return out;
}

Result<Plan> ModelResolver::PlanRoute(const config::RouteConfig& route,
                                      std::string_view params_json,
                                      std::optional<config::Millis> timeout, int depth) const {
  // Config validation rejects cycles and routes nested deeper than the limit; this is a second
  // guard, at the same limit, so that a config that passed validation always compiles.
  const int max_depth = std::max(config_.route_limits.max_depth, 1);
  if (depth >= max_depth) {
    return Error::InvalidRequest(
        fmt::format("route '{}' nests too deeply (limits.max_route_depth is {})", route.name,
                    config_.route_limits.max_depth));
  }
  Plan plan;
  plan.route = route.name;
  plan.strategy = route.strategy;
  plan.ordering = FindStrategy(route.strategy);
  plan.launch = LaunchPolicyOf(route, plan.ordering);
  if (route.accept.any()) {
    auto accept = accept::AcceptPolicy::Compile(route.accept);
    if (!accept) return std::move(accept).error();
    plan.accept = std::make_shared<const accept::AcceptPolicy>(std::move(accept).value());
  }
  plan.retry = route.retry;
  plan.sticky = route.sticky;
  if (route.experiment) plan.epoch = route.experiment->epoch;
  plan.conditions = route.conditions;
  plan.default_step = route.default_target;
  for (const config::RouteTarget& target : route.targets) {
    std::string params = MergeParams(target.params_json, params_json);
    const auto target_timeout = ShorterTimeout(target.timeout, timeout);
    PlanStep step;
    step.weight = target.weight;
    if (const config::RouteConfig* nested = config_.FindRoute(target.model)) {
      const std::shared_ptr<const Plan>* compiled = CompiledRoute(*nested);
      if (compiled != nullptr && params.empty() && !target_timeout &&
          depth + 1 + Height(**compiled) <= max_depth) {
        step.route = *compiled;  // nothing laid over it: the nested route's own plan
      } else {
        auto nested_plan = PlanRoute(*nested, params, target_timeout, depth + 1);
        if (!nested_plan) return std::move(nested_plan).error();
        step.route = std::make_shared<const Plan>(std::move(nested_plan).value());
      }
    } else {
      auto planned = ResolveDirect(target.model);
      if (!planned) return std::move(planned).error();
      step.target = std::move(planned).value();
      step.target.params_json = std::move(params);
      step.target.timeout = target_timeout;
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

Result<std::shared_ptr<const Plan>> ModelResolver::ResolveRoute(
    const config::RouteConfig& route) const {
  if (const std::shared_ptr<const Plan>* compiled = CompiledRoute(route)) return Borrowed(*compiled);
  auto plan = PlanRoute(route, {}, std::nullopt, 0);
  if (!plan) return std::move(plan).error();
  return std::make_shared<const Plan>(std::move(plan).value());
}

Result<std::shared_ptr<const Plan>> ModelResolver::Resolve(std::string_view model) const {
  if (auto it = by_name_.find(model); it != by_name_.end()) return Borrowed(it->second);
  auto target = ResolveDirect(model);
  if (!target) return std::move(target).error();
  return DirectPlan(std::move(target).value());
}

}  // namespace switchyard::routing

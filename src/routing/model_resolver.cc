#include "routing/model_resolver.h"

#include <fmt/format.h>

#include <algorithm>

#include "json/object_rewrite.h"
#include "json/object_scan.h"

namespace switchyard::routing {

namespace {
constexpr int kMaxRouteDepth = 8;  // config validation rejects cycles; this is a second guard
}

ModelResolver::ModelResolver(const config::Config& config,
                             const std::vector<ProviderRuntime>& providers)
    : config_(config), providers_(providers) {}

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
      return PlannedTarget{provider, std::string(name), {}, std::nullopt};
    }
  }
  // A bare name (which may itself contain '/', as OpenRouter's do): the providers that list it.
  std::vector<const ProviderRuntime*> offering;
  for (const ProviderRuntime& provider : providers_) {
    for (const std::string& listed : provider.config->models) {
      if (listed == model) offering.push_back(&provider);
    }
  }
  if (offering.size() == 1) return PlannedTarget{offering[0], std::string(model), {}, std::nullopt};
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
  if (depth > kMaxRouteDepth) {
    return Error::InvalidRequest(fmt::format("route '{}' nests too deeply", route.name));
  }
  Plan plan;
  plan.route = route.name;
  plan.strategy = route.strategy;
  plan.retry = route.retry;
  plan.sticky = route.sticky;
  plan.conditions = route.conditions;
  plan.default_step = route.default_target;
  for (const config::RouteTarget& target : route.targets) {
    const std::string params = MergeParams(target.params_json, params_json);
    const auto target_timeout = ShorterTimeout(target.timeout, timeout);
    PlanStep step;
    step.weight = target.weight;
    if (const config::RouteConfig* nested = config_.FindRoute(target.model)) {
      auto nested_plan = PlanRoute(*nested, params, target_timeout, depth + 1);
      if (!nested_plan) return std::move(nested_plan).error();
      step.route = std::make_shared<const Plan>(std::move(nested_plan).value());
    } else {
      auto planned = ResolveDirect(target.model);
      if (!planned) return std::move(planned).error();
      step.target = std::move(planned).value();
      step.target.params_json = params;
      step.target.timeout = target_timeout;
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

Result<Plan> ModelResolver::ResolveRoute(const config::RouteConfig& route) const {
  return PlanRoute(route, {}, std::nullopt, 0);
}

Result<Plan> ModelResolver::Resolve(std::string_view model) const {
  if (const config::RouteConfig* route = config_.FindRoute(model)) {
    return PlanRoute(*route, {}, std::nullopt, 0);
  }
  auto target = ResolveDirect(model);
  if (!target) return std::move(target).error();
  Plan plan;
  plan.strategy = "single";
  plan.steps.push_back({std::move(target).value(), nullptr});
  return plan;
}

}  // namespace switchyard::routing

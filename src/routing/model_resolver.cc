#include "routing/model_resolver.h"

#include <fmt/format.h>

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

Status ModelResolver::ExpandRoute(const config::RouteConfig& route, int depth, Plan* plan) const {
  if (depth > kMaxRouteDepth) {
    return Error::InvalidRequest(fmt::format("route '{}' nests too deeply", route.name));
  }
  for (const config::RouteTarget& target : route.targets) {
    if (const config::RouteConfig* nested = config_.FindRoute(target.model)) {
      Status status = ExpandRoute(*nested, depth + 1, plan);
      if (!status.ok()) return status;
      continue;
    }
    auto planned = ResolveDirect(target.model);
    if (!planned) return std::move(planned).error();
    planned->params_json = target.params_json;
    planned->timeout = target.timeout;
    plan->targets.push_back(std::move(planned).value());
  }
  return Status();
}

Result<Plan> ModelResolver::Resolve(std::string_view model) const {
  Plan plan;
  if (const config::RouteConfig* route = config_.FindRoute(model)) {
    plan.route = route->name;
    plan.strategy = route->strategy;
    plan.retry = route->retry;
    Status status = ExpandRoute(*route, 0, &plan);
    if (!status.ok()) return status.error();
    return plan;
  }
  auto target = ResolveDirect(model);
  if (!target) return std::move(target).error();
  plan.strategy = "single";
  plan.targets.push_back(std::move(target).value());
  return plan;
}

}  // namespace switchyard::routing

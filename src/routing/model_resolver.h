// ModelResolver: turns the model a client asked for into a plan — the targets to try, in order,
// and how. A model is a route name from the config, "provider/model", or a bare model name that
// exactly one provider lists (CONTRACT.md, "Model names").
//
// Built once at startup from the config; immutable and thread-safe afterwards.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "routing/provider_runtime.h"

namespace switchyard::routing {

struct PlannedTarget {
  const ProviderRuntime* provider = nullptr;
  std::string model;        // as the provider knows it
  std::string params_json;  // route target parameters; empty when none
  std::optional<config::Millis> timeout;  // the target's total deadline override
};

struct Plan {
  std::string route;      // the route's name; empty for a direct model
  std::string strategy;   // "single" | "fallback"
  std::vector<PlannedTarget> targets;
  config::RetryPolicy retry;
};

class ModelResolver {
 public:
  // REQUIRES: `providers` outlives the resolver and holds every provider of `config`.
  ModelResolver(const config::Config& config, const std::vector<ProviderRuntime>& providers);

  // Errors: kInvalidRequest for an ambiguous bare name (listing the candidates), kNotFound for an
  // unknown provider, route or model.
  Result<Plan> Resolve(std::string_view model) const;

  const ProviderRuntime* FindProvider(std::string_view name) const;

 private:
  Result<PlannedTarget> ResolveDirect(std::string_view model) const;
  Status ExpandRoute(const config::RouteConfig& route, int depth, Plan* plan) const;

  const config::Config& config_;
  const std::vector<ProviderRuntime>& providers_;
};

}  // namespace switchyard::routing

// PlanBuilder: plans for strategy tests without a config or a resolver — providers made up by
// name, steps of "provider/model" targets or nested plans, and a RoutingContext over a seeded
// generator and a fixed clock.
#pragma once

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "routing/strategy.h"

namespace switchyard::routing::testing_util {

class PlanBuilder {
 public:
  // The runtime of provider `name`, made on first use; pointers stay valid for the builder's life.
  const ProviderRuntime* Provider(std::string_view name,
                                  const hosts::HostProfile* profile = nullptr) {
    for (const ProviderRuntime& runtime : runtimes_) {
      if (runtime.config->name == name) return &runtime;
    }
    config::ProviderConfig& config = configs_.emplace_back();
    config.name = std::string(name);
    config.profile = profile;
    return &runtimes_.emplace_back(ProviderRuntime{&config, {}, nullptr});
  }

  PlannedTarget Target(std::string_view provider_slash_model) {
    const std::size_t slash = provider_slash_model.find('/');
    PlannedTarget target;
    target.provider = Provider(provider_slash_model.substr(0, slash));
    target.model = std::string(provider_slash_model.substr(slash + 1));
    return target;
  }

  // A plan of `strategy` over `targets` ("provider/model"), each with weight 1.
  Plan Make(std::string strategy, const std::vector<std::string>& targets) {
    Plan plan;
    plan.route = "r";
    plan.strategy = std::move(strategy);
    for (const std::string& target : targets) plan.steps.push_back({Target(target), nullptr, 1});
    return plan;
  }

  static PlanStep Nested(Plan plan) {
    PlanStep step;
    step.route = std::make_shared<const Plan>(std::move(plan));
    return step;
  }

 private:
  std::deque<config::ProviderConfig> configs_;
  std::deque<ProviderRuntime> runtimes_;
};

// Step indices as "provider/model" (nested steps as "[route]"), for readable failures.
inline std::vector<std::string> Names(const Plan& plan, const std::vector<std::size_t>& order) {
  std::vector<std::string> out;
  for (std::size_t index : order) {
    const PlanStep& step = plan.steps.at(index);
    out.push_back(step.route ? "[" + step.route->route + "]" : TargetKey(step.target));
  }
  return out;
}

}  // namespace switchyard::routing::testing_util

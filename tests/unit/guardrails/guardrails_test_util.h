// Guardrails built from a few lines of config, for the guardrails' tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "guardrails/guardrail_set.h"

namespace switchyard::guardrails::testing_util {

inline config::GuardrailConfig Guard(std::string name, config::GuardrailStage on,
                                     std::string check, config::GuardrailAction action) {
  config::GuardrailConfig guardrail;
  guardrail.name = std::move(name);
  guardrail.on = on;
  guardrail.check = std::move(check);
  guardrail.action = action;
  guardrail.stream = config::GuardrailCheckFindsSpans(guardrail.check)
                         ? config::GuardrailStream::kWindow
                         : config::GuardrailStream::kHold;
  return guardrail;
}

// The set of `guardrails` (all global) and the call's list of them.
struct Built {
  std::shared_ptr<const GuardrailSet> set;
  CallGuardrails call;
};

inline Built BuildAll(std::vector<config::GuardrailConfig> guardrails) {
  config::Config config;
  for (config::GuardrailConfig& guardrail : guardrails) {
    guardrail.global = true;
    config.guardrails.push_back(std::move(guardrail));
  }
  auto set = GuardrailSet::Build(config);
  EXPECT_TRUE(set) << (set ? "" : set.error().message);
  Built built{std::move(set).value(), {}};
  built.call = built.set->ForCall({}, {}).value();
  return built;
}

}  // namespace switchyard::guardrails::testing_util

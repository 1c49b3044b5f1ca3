#include "guardrails/guardrail_set.h"

#include <algorithm>

namespace switchyard::guardrails {
namespace {

void Add(const Guardrail* guardrail, CallGuardrails& call) {
  auto& stage = guardrail->config.on == config::GuardrailStage::kInput ? call.input : call.output;
  if (std::find(stage.begin(), stage.end(), guardrail) == stage.end()) stage.push_back(guardrail);
}

}  // namespace

Result<std::shared_ptr<const GuardrailSet>> GuardrailSet::Build(const config::Config& config) {
  auto set = std::make_shared<GuardrailSet>();
  set->guardrails_.reserve(config.guardrails.size());
  for (const config::GuardrailConfig& guardrail : config.guardrails) {
    auto check = MakeCheck(guardrail);
    if (!check) return std::move(check).error();
    set->guardrails_.push_back({guardrail, std::move(check).value(),
                                config::GuardrailCheckFindsSpans(guardrail.check),
                                config::GuardrailCheckIsExternal(guardrail.check)});
  }
  return std::shared_ptr<const GuardrailSet>(std::move(set));
}

const Guardrail* GuardrailSet::Find(std::string_view name) const {
  for (const Guardrail& guardrail : guardrails_) {
    if (guardrail.config.name == name) return &guardrail;
  }
  return nullptr;
}

Result<CallGuardrails> GuardrailSet::ForCall(std::span<const std::string> route_names,
                                             std::span<const std::string> key_names) const {
  CallGuardrails call;
  for (const Guardrail& guardrail : guardrails_) {
    if (guardrail.config.global) Add(&guardrail, call);
  }
  for (std::span<const std::string> names : {route_names, key_names}) {
    for (const std::string& name : names) {
      const Guardrail* guardrail = Find(name);
      if (guardrail == nullptr) {
        return Error::InvalidRequest("guardrail '" + name.substr(0, 80) +
                                     "' is not defined under guardrails: in the config");
      }
      Add(guardrail, call);
    }
  }
  return call;
}

}  // namespace switchyard::guardrails

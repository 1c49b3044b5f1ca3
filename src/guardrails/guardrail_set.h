// GuardrailSet: every guardrail of the config, compiled once at start-up (a check per guardrail),
// and the ones that apply to a call — the global ones, then the route's, then the key's, each once
// (CONTRACT.md "Guardrails"), split by stage. Immutable after Build; shared by every worker.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "guardrails/check.h"

namespace switchyard::guardrails {

struct Guardrail {
  config::GuardrailConfig config;
  CheckPtr check;
  bool finds_spans = false;  // a span check (guardrails/check.h)
  bool external = false;     // asks a service (webhook): run by the gateway, not by the guards here
};

// The guardrails of one call, in the order they run.
struct CallGuardrails {
  std::vector<const Guardrail*> input;
  std::vector<const Guardrail*> output;
  bool empty() const { return input.empty() && output.empty(); }
};

class GuardrailSet {
 public:
  // Errors: a check that cannot be built (kConfig; the config loader reports the same problems at
  // their lines, so this is a second line of defence).
  static Result<std::shared_ptr<const GuardrailSet>> Build(const config::Config& config);

  // The call's guardrails: global, then `route_names`, then `key_names`. Errors: a name that is
  // not defined (an inline route's; configured routes and keys are checked at load) — a 400.
  Result<CallGuardrails> ForCall(std::span<const std::string> route_names,
                                 std::span<const std::string> key_names) const;

  bool empty() const { return guardrails_.empty(); }
  const Guardrail* Find(std::string_view name) const;

 private:
  std::vector<Guardrail> guardrails_;
};

}  // namespace switchyard::guardrails

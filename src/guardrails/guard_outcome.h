// GuardOutcome: what the guardrails of one stage did to a request or an answer — every guardrail
// that fired (for the ledger's `guardrails` field and x-switchyard-guardrails), the one that
// stopped the call (a deny, or an output's fallback), and whether a redaction rewrote text.
#pragma once

#include <string>
#include <vector>

#include "config/guardrail_config.h"

namespace switchyard::guardrails {

struct Guardrail;

struct Fired {
  std::string name;
  config::GuardrailAction action;
};

struct GuardOutcome {
  std::vector<Fired> fired;
  const Guardrail* stopped = nullptr;  // deny or fallback: the request or answer goes no further
  std::string reason;                  // why it stopped, never quoting the text
  bool changed = false;                // a redaction rewrote some text

  void Fire(const Guardrail& guardrail);
};

// "name:action,name:action" (the ledger's and the header's form); `existing` is extended.
void AppendFired(const std::vector<Fired>& fired, std::string& existing);

}  // namespace switchyard::guardrails

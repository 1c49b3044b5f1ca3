// The check registry: one line per check (guardrails/check.h).
#include <algorithm>
#include <array>

#include "guardrails/check.h"

namespace switchyard::guardrails {

// Each defined in checks/<name>_check.cc.
Result<CheckPtr> MakeRegexCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakePiiCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeSecretsCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeWordsCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeLengthCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeJsonCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeJsonSchemaCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeDeniedParamsCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeRequiredMetadataCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeWebhookCheck(const config::GuardrailConfig& config);
Result<CheckPtr> MakeLlmCheck(const config::GuardrailConfig& config);

namespace {

constexpr std::array kChecks = {
    CheckRegistration{"regex", MakeRegexCheck},
    CheckRegistration{"pii", MakePiiCheck},
    CheckRegistration{"secrets", MakeSecretsCheck},
    CheckRegistration{"words", MakeWordsCheck},
    CheckRegistration{"length", MakeLengthCheck},
    CheckRegistration{"json", MakeJsonCheck},
    CheckRegistration{"json_schema", MakeJsonSchemaCheck},
    CheckRegistration{"denied_params", MakeDeniedParamsCheck},
    CheckRegistration{"required_metadata", MakeRequiredMetadataCheck},
    CheckRegistration{"webhook", MakeWebhookCheck},
    CheckRegistration{"llm", MakeLlmCheck},
};

}  // namespace

std::span<const CheckRegistration> Checks() { return kChecks; }

Result<CheckPtr> MakeCheck(const config::GuardrailConfig& config) {
  auto found = std::find_if(kChecks.begin(), kChecks.end(),
                            [&](const CheckRegistration& r) { return r.name == config.check; });
  if (found == kChecks.end()) {
    return Error::Config("guardrail '" + config.name + "': no check named '" + config.check + "'");
  }
  return found->make(config);
}

}  // namespace switchyard::guardrails

// webhook and llm: the verdict of a user's service (guardrails/webhook_verdict.h) or of a judge
// model (guardrails/llm_judge.h). The gateway makes the call (gateway/external_guardrails.h); as
// Checks they find nothing by themselves.
#include "guardrails/check.h"

namespace switchyard::guardrails {
namespace {

class ExternalCheck final : public Check {};

}  // namespace

Result<CheckPtr> MakeWebhookCheck(const config::GuardrailConfig& /*config*/) {
  return CheckPtr(std::make_shared<const ExternalCheck>());
}

Result<CheckPtr> MakeLlmCheck(const config::GuardrailConfig& /*config*/) {
  return CheckPtr(std::make_shared<const ExternalCheck>());
}

}  // namespace switchyard::guardrails

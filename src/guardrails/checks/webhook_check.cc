// webhook: the verdict of a user's service (guardrails/webhook_verdict.h). The gateway makes the
// call (gateway/external_guardrails.h); as a Check it finds nothing by itself.
#include "guardrails/check.h"

namespace switchyard::guardrails {
namespace {

class WebhookCheck final : public Check {};

}  // namespace

Result<CheckPtr> MakeWebhookCheck(const config::GuardrailConfig& /*config*/) {
  return CheckPtr(std::make_shared<const WebhookCheck>());
}

}  // namespace switchyard::guardrails

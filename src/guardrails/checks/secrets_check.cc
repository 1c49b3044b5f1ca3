// secrets: provider API keys, AWS keys, private keys, JWTs, high-entropy tokens
// (guardrails/secret_scanner.h).
#include "guardrails/check.h"
#include "guardrails/secret_scanner.h"

namespace switchyard::guardrails {
namespace {

class SecretsCheck final : public Check {
 public:
  void FindSpans(std::string_view text, std::vector<TextSpan>& out) const override {
    FindSecrets(text, out);
  }
};

}  // namespace

Result<CheckPtr> MakeSecretsCheck(const config::GuardrailConfig& /*config*/) {
  return CheckPtr(std::make_shared<const SecretsCheck>());
}

}  // namespace switchyard::guardrails

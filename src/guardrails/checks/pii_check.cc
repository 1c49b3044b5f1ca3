// pii: the kinds of personal data the guardrail names (all when it names none): guardrails/pii_scanner.h.
#include "guardrails/check.h"
#include "guardrails/pii_scanner.h"

namespace switchyard::guardrails {
namespace {

class PiiCheck final : public Check {
 public:
  explicit PiiCheck(PiiKinds kinds) : kinds_(kinds) {}
  void FindSpans(std::string_view text, std::vector<TextSpan>& out) const override {
    FindPii(text, kinds_, out);
  }

 private:
  PiiKinds kinds_;
};

}  // namespace

Result<CheckPtr> MakePiiCheck(const config::GuardrailConfig& config) {
  PiiKinds kinds = config.kinds.empty() ? kAllPii : 0;
  for (const std::string& name : config.kinds) {
    std::optional<PiiKind> kind = PiiKindNamed(name);
    if (!kind) return Error::Config("guardrail '" + config.name + "': no PII kind '" + name + "'");
    kinds |= static_cast<PiiKinds>(*kind);
  }
  return CheckPtr(std::make_shared<const PiiCheck>(kinds));
}

}  // namespace switchyard::guardrails

// non_empty: some text that is not only whitespace, or a tool call.
#include "accept/accept_check.h"

namespace switchyard::accept {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class NonEmptyCheck final : public AcceptCheck {
 public:
  std::optional<std::string> Check(const CheckInput& input) const override {
    if (input.answer.tool_calls > 0) return std::nullopt;
    for (char c : input.answer.text) {
      if (!IsSpace(c)) return std::nullopt;
    }
    return "empty answer";
  }
};

}  // namespace

Result<CheckPtr> MakeNonEmptyCheck(const config::AcceptConfig& config) {
  if (!config.non_empty) return CheckPtr();
  return CheckPtr(std::make_shared<const NonEmptyCheck>());
}

}  // namespace switchyard::accept

// tool_call: the answer calls at least one tool.
#include "accept/accept_check.h"

namespace switchyard::accept {
namespace {

class ToolCallCheck final : public AcceptCheck {
 public:
  std::optional<std::string> Check(const CheckInput& input) const override {
    if (input.answer.tool_calls > 0) return std::nullopt;
    return "no tool call";
  }
};

}  // namespace

Result<CheckPtr> MakeToolCallCheck(const config::AcceptConfig& config) {
  if (!config.tool_call) return CheckPtr();
  return CheckPtr(std::make_shared<const ToolCallCheck>());
}

}  // namespace switchyard::accept

// json: the answer's text is one JSON value (answer_json.h says how it is read).
#include "accept/accept_check.h"
#include "accept/answer_json.h"

namespace switchyard::accept {
namespace {

class JsonCheck final : public AcceptCheck {
 public:
  std::optional<std::string> Check(const CheckInput& input) const override {
    auto parsed = ParseAnswerJson(input.answer.text);
    if (std::string* problem = std::get_if<std::string>(&parsed)) return std::move(*problem);
    return std::nullopt;
  }
};

}  // namespace

Result<CheckPtr> MakeJsonCheck(const config::AcceptConfig& config) {
  if (!config.json) return CheckPtr();
  return CheckPtr(std::make_shared<const JsonCheck>());
}

}  // namespace switchyard::accept

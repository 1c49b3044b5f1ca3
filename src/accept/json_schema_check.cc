// json_schema: the answer's text is JSON that validates against the output schema its request
// asked for. A request without one is checked as json only: the check cannot invent a schema, and
// an answer that is not JSON is still refused.
#include "accept/accept_check.h"
#include "accept/answer_json.h"

namespace switchyard::accept {
namespace {

class JsonSchemaCheck final : public AcceptCheck {
 public:
  std::optional<std::string> Check(const CheckInput& input) const override {
    auto parsed = ParseAnswerJson(input.answer.text);
    if (std::string* problem = std::get_if<std::string>(&parsed)) return std::move(*problem);
    if (input.request_schema == nullptr) return std::nullopt;
    return input.request_schema->Validate(std::get<boost::json::value>(parsed));
  }
};

}  // namespace

Result<CheckPtr> MakeJsonSchemaCheck(const config::AcceptConfig& config) {
  if (!config.json_schema) return CheckPtr();
  return CheckPtr(std::make_shared<const JsonSchemaCheck>());
}

}  // namespace switchyard::accept

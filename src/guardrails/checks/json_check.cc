// json and json_schema: the answer's text is one JSON value (read as accept/answer_json.h reads
// it), and for json_schema one that the guardrail's schema validates (json_schema/, whose
// `pattern` is linear-time).
#include <boost/json/parse.hpp>

#include "accept/answer_json.h"
#include "guardrails/check.h"
#include "json_schema/schema.h"

namespace switchyard::guardrails {
namespace {

class JsonCheck final : public Check {
 public:
  explicit JsonCheck(std::optional<json_schema::Schema> schema) : schema_(std::move(schema)) {}

  std::optional<std::string> JudgeText(std::string_view text) const override {
    auto parsed = accept::ParseAnswerJson(text);
    if (std::string* problem = std::get_if<std::string>(&parsed)) return std::move(*problem);
    if (!schema_) return std::nullopt;
    return schema_->Validate(std::get<boost::json::value>(parsed));
  }

 private:
  std::optional<json_schema::Schema> schema_;
};

}  // namespace

Result<CheckPtr> MakeJsonCheck(const config::GuardrailConfig& /*config*/) {
  return CheckPtr(std::make_shared<const JsonCheck>(std::nullopt));
}

Result<CheckPtr> MakeJsonSchemaCheck(const config::GuardrailConfig& config) {
  boost::system::error_code error;
  boost::json::value document = boost::json::parse(config.schema_json, error);
  if (error) return Error::Config("guardrail '" + config.name + "': its schema is not JSON");
  auto schema = json_schema::Schema::Compile(document);
  if (!schema) return Error::Config("guardrail '" + config.name + "': " + schema.error().message);
  return CheckPtr(std::make_shared<const JsonCheck>(std::move(schema).value()));
}

}  // namespace switchyard::guardrails

#include "accept/request_schema.h"

#include <boost/json/parse.hpp>

namespace switchyard::accept {
namespace json = boost::json;
namespace {

using Found = Result<std::optional<json::value>>;

// `holder[key]` when it is there and not null; nullptr when absent or null.
const json::value* Member(const json::object& holder, std::string_view key) {
  const json::value* value = holder.if_contains(key);
  return value != nullptr && !value->is_null() ? value : nullptr;
}

Error NotAnObject(std::string_view field) {
  return Error::InvalidRequest(std::string(field) + " must be an object", std::string(field));
}

Found SchemaIn(const json::object& holder, const std::string& field) {
  const json::value* schema = Member(holder, "schema");
  if (schema == nullptr) return std::optional<json::value>();
  if (!schema->is_object()) return NotAnObject(field + ".schema");
  return std::optional<json::value>(*schema);
}

// A format object `{type: "json_schema", ...}` at `field`: its schema, which sits in it
// (Anthropic) or in its member `nested` (OpenAI's json_schema). Another type asks for no schema.
Found FromFormat(const json::value& format, const std::string& field, std::string_view nested) {
  if (!format.is_object()) return NotAnObject(field);
  const json::value* type = Member(format.get_object(), "type");
  if (type == nullptr || !type->is_string() || type->get_string() != "json_schema") {
    return std::optional<json::value>();
  }
  if (nested.empty()) return SchemaIn(format.get_object(), field);
  const json::value* spec = Member(format.get_object(), nested);
  const std::string spec_field = field + "." + std::string(nested);
  if (spec == nullptr) return std::optional<json::value>();
  if (!spec->is_object()) return NotAnObject(spec_field);
  return SchemaIn(spec->get_object(), spec_field);
}

Found OpenAISchema(const json::object& body) {
  const json::value* format = Member(body, "response_format");
  if (format == nullptr) return std::optional<json::value>();
  return FromFormat(*format, "response_format", "json_schema");
}

Found AnthropicSchema(const json::object& body) {
  if (const json::value* config = Member(body, "output_config")) {
    if (!config->is_object()) return NotAnObject("output_config");
    if (const json::value* format = Member(config->get_object(), "format")) {
      return FromFormat(*format, "output_config.format", "");
    }
  }
  if (const json::value* format = Member(body, "output_format")) {
    return FromFormat(*format, "output_format", "");
  }
  return std::optional<json::value>();
}

}  // namespace

Result<std::optional<json::value>> RequestSchema(std::string_view body, wire::Format inbound) {
  json::parse_options options;
  options.max_depth = kMaxRequestJsonDepth;
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec, json::storage_ptr(), options);
  if (ec || !parsed.is_object()) {
    return Error::InvalidRequest("request body is not a valid JSON object");
  }
  switch (inbound) {
    case wire::Format::kOpenAI:
      return OpenAISchema(parsed.get_object());
    case wire::Format::kAnthropic:
      return AnthropicSchema(parsed.get_object());
    case wire::Format::kGemini:
      break;  // not a client API
  }
  return std::optional<json::value>();
}

}  // namespace switchyard::accept

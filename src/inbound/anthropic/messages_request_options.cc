#include "inbound/anthropic/messages_request_options.h"

#include "canonical/field_reader.h"

namespace switchyard::inbound::anthropic {
namespace json = boost::json;
using canonical::FieldReader;

namespace {

Status ReadTool(const json::object& object, const std::string& path,
                std::vector<canonical::ToolDefinition>& out) {
  FieldReader tool(object, path);
  const std::string type = tool.String("type").value_or("custom");
  if (type != "custom") {
    tool.Fail("type", "server tool '" + type + "' cannot be translated to another provider's format");
    return tool.error();
  }
  tool.Require("name");
  canonical::ToolDefinition definition;
  definition.name = tool.String("name").value_or("");
  definition.description = tool.String("description").value_or("");
  if (const json::object* schema = tool.Object("input_schema")) definition.parameters = *schema;
  definition.strict = tool.Bool("strict");
  if (const json::value* cache = tool.Find("cache_control")) definition.cache_control = *cache;
  if (!tool.ok()) return tool.error();
  out.push_back(std::move(definition));
  return Status();
}

Status ReadTools(FieldReader& reader, canonical::ChatRequest& request) {
  const json::array* tools = reader.Array("tools");
  if (!reader.ok()) return reader.error();
  if (tools == nullptr) return Status();
  for (std::size_t i = 0; i < tools->size(); ++i) {
    const std::string path = canonical::IndexPath("tools", i);
    if (!(*tools)[i].is_object()) return Error::InvalidRequest(path + ": expected an object", path);
    if (Status s = ReadTool((*tools)[i].get_object(), path, request.tools); !s.ok()) return s;
  }
  return Status();
}

Status ReadToolChoice(FieldReader& reader, canonical::ChatRequest& request) {
  using Mode = canonical::ToolChoice::Mode;
  const json::object* object = reader.Object("tool_choice");
  if (!reader.ok()) return reader.error();
  if (object == nullptr) return Status();
  FieldReader choice(*object, "tool_choice");
  choice.Require("type");
  const std::string type = choice.String("type").value_or("");
  if (type == "auto") {
    request.tool_choice.mode = Mode::kAuto;
  } else if (type == "any") {
    request.tool_choice.mode = Mode::kRequired;
  } else if (type == "none") {
    request.tool_choice.mode = Mode::kNone;
  } else if (type == "tool") {
    choice.Require("name");
    request.tool_choice.mode = Mode::kNamed;
    request.tool_choice.name = choice.String("name").value_or("");
  } else if (choice.ok()) {
    choice.Fail("type", "must be auto, any, tool or none");
  }
  if (choice.Bool("disable_parallel_tool_use").value_or(false)) {
    request.parallel_tool_calls = false;
  }
  return choice.ok() ? Status() : Status(choice.error());
}

Status ReadThinking(FieldReader& reader, canonical::Reasoning& reasoning) {
  using Mode = canonical::Reasoning::Mode;
  const json::object* object = reader.Object("thinking");
  if (!reader.ok()) return reader.error();
  if (object == nullptr) return Status();
  FieldReader thinking(*object, "thinking");
  thinking.Require("type");
  const std::string type = thinking.String("type").value_or("");
  if (type == "enabled") {
    thinking.Require("budget_tokens");
    reasoning.mode = Mode::kEnabled;
    reasoning.budget_tokens = thinking.Int("budget_tokens");
  } else if (type == "adaptive") {
    reasoning.mode = Mode::kAdaptive;
  } else if (type == "disabled") {
    reasoning.mode = Mode::kDisabled;
  } else if (thinking.ok()) {
    thinking.Fail("type", "must be enabled, adaptive or disabled");
  }
  return thinking.ok() ? Status() : Status(thinking.error());
}

// output_config.format or the older top-level output_format: {type:"json_schema", schema}.
Status ReadFormat(const json::object& object, const std::string& path,
                  canonical::ResponseFormat& format) {
  FieldReader reader(object, path);
  reader.Require("type");
  reader.Require("schema");
  if (reader.String("type").value_or("json_schema") != "json_schema") {
    reader.Fail("type", "must be json_schema");
  }
  const json::object* schema = reader.Object("schema");
  if (!reader.ok()) return reader.error();
  format.kind = canonical::ResponseFormat::Kind::kJsonSchema;
  format.schema = *schema;
  return Status();
}

Status ReadOutput(FieldReader& reader, canonical::ChatRequest& request) {
  if (const json::object* legacy = reader.Object("output_format")) {
    if (Status s = ReadFormat(*legacy, "output_format", request.response_format); !s.ok()) return s;
  }
  const json::object* config = reader.Object("output_config");
  if (!reader.ok()) return reader.error();
  if (config == nullptr) return Status();
  FieldReader output(*config, "output_config");
  request.reasoning.effort = output.String("effort").value_or("");
  const json::object* format = output.Object("format");
  if (!output.ok()) return output.error();
  if (format == nullptr) return Status();
  return ReadFormat(*format, "output_config.format", request.response_format);
}

Status ReadSampling(FieldReader& reader, canonical::ChatRequest& request) {
  request.max_tokens = reader.Int("max_tokens");
  if (request.max_tokens && *request.max_tokens < 1) reader.Fail("max_tokens", "must be at least 1");
  request.temperature = reader.Number("temperature");
  request.top_p = reader.Number("top_p");
  request.top_k = reader.Int("top_k");
  request.stream = reader.Bool("stream").value_or(false);
  if (const json::object* metadata = reader.Object("metadata")) {
    FieldReader fields(*metadata, "metadata");
    request.user = fields.String("user_id").value_or("");
    if (!fields.ok()) return fields.error();
  }
  const json::array* stops = reader.Array("stop_sequences");
  if (!reader.ok()) return reader.error();
  if (stops == nullptr) return Status();
  for (const json::value& stop : *stops) {
    if (!stop.is_string()) {
      reader.Fail("stop_sequences", "expected an array of strings");
      return reader.error();
    }
    request.stop.emplace_back(stop.get_string());
  }
  return Status();
}

}  // namespace

Status ReadMessagesOptions(const json::object& root, canonical::ChatRequest& request) {
  FieldReader reader(root, "");
  if (Status s = ReadSampling(reader, request); !s.ok()) return s;
  if (Status s = ReadTools(reader, request); !s.ok()) return s;
  if (Status s = ReadToolChoice(reader, request); !s.ok()) return s;
  if (Status s = ReadThinking(reader, request.reasoning); !s.ok()) return s;
  return ReadOutput(reader, request);
}

}  // namespace switchyard::inbound::anthropic

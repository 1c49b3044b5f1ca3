#include "inbound/openai/chat_request_decoder.h"

#include <array>

#include "canonical/field_reader.h"
#include "wire/openai/openai_format.h"

namespace switchyard::inbound::openai {
namespace json = boost::json;
using canonical::ContentPart;
using canonical::FieldReader;
using canonical::Message;
using canonical::Role;

namespace {

// The members this decoder maps; every other member goes to `extra`.
constexpr std::array<std::string_view, 17> kMappedFields = {
    "model", "messages", "max_completion_tokens", "max_tokens", "temperature", "top_p", "stop",
    "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "user",
    "stream", "stream_options", "top_k", "safety_identifier"};

bool IsMapped(std::string_view key) {
  for (std::string_view mapped : kMappedFields) {
    if (mapped == key) return true;
  }
  return false;
}

// content: a string, or an array of parts (null and absent read as no content).
Status ReadContent(FieldReader& reader, std::vector<ContentPart>& out) {
  const json::value* content = reader.Find("content");
  if (content == nullptr) return Status();
  if (content->is_string()) {
    ContentPart part;
    part.text = std::string(content->get_string());
    part.path = reader.PathOf("content");
    out.push_back(std::move(part));
    return Status();
  }
  const json::array* parts = reader.Array("content");
  if (!reader.ok()) return reader.error();
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const std::string path = canonical::IndexPath(reader.PathOf("content"), i);
    if (!(*parts)[i].is_object()) return Error::InvalidRequest(path + ": expected an object", path);
    auto part = wire::openai::PartFromOpenAI((*parts)[i].get_object(), path);
    if (!part) return part.error();
    out.push_back(std::move(part).value());
  }
  return Status();
}

Status RequireTextOnly(const Message& message, const std::string& path) {
  for (std::size_t i = 0; i < message.content.size(); ++i) {
    if (message.content[i].kind != ContentPart::Kind::kText) {
      const std::string where = canonical::IndexPath(path + ".content", i);
      return Error::InvalidRequest(where + ": only text parts are allowed here", where);
    }
  }
  return Status();
}

Status ReadToolCalls(FieldReader& reader, Message& message) {
  const json::array* calls = reader.Array("tool_calls");
  if (!reader.ok()) return reader.error();
  if (calls == nullptr) return Status();
  for (std::size_t i = 0; i < calls->size(); ++i) {
    const std::string path = canonical::IndexPath(reader.PathOf("tool_calls"), i);
    if (!(*calls)[i].is_object()) return Error::InvalidRequest(path + ": expected an object", path);
    FieldReader call((*calls)[i].get_object(), path);
    call.Require("id");
    call.Require("function");
    canonical::ToolCall out;
    out.id = call.String("id").value_or("");
    const json::object* function = call.Object("function");
    if (!call.ok()) return call.error();
    FieldReader fn(*function, call.PathOf("function"));
    fn.Require("name");
    out.name = fn.String("name").value_or("");
    out.arguments_json = fn.String("arguments").value_or("");
    if (!fn.ok()) return fn.error();
    message.tool_calls.push_back(std::move(out));
  }
  return Status();
}

// thinking_blocks: this gateway's round-trip field for signed reasoning (openai_format.h).
Status ReadThinkingBlocks(FieldReader& reader, Message& message) {
  const json::array* blocks = reader.Array("thinking_blocks");
  if (!reader.ok()) return reader.error();
  if (blocks == nullptr) return Status();
  std::vector<ContentPart> thinking;
  for (std::size_t i = 0; i < blocks->size(); ++i) {
    const std::string path = canonical::IndexPath(reader.PathOf("thinking_blocks"), i);
    if (!(*blocks)[i].is_object()) return Error::InvalidRequest(path + ": expected an object", path);
    FieldReader block((*blocks)[i].get_object(), path);
    const std::string type = block.String("type").value_or("");
    ContentPart part;
    part.kind = type == "redacted_thinking" ? ContentPart::Kind::kRedactedThinking
                                            : ContentPart::Kind::kThinking;
    part.text = block.String("thinking").value_or("");
    part.data = block.String(type == "redacted_thinking" ? "data" : "signature").value_or("");
    part.path = path;
    if (!block.ok()) return block.error();
    thinking.push_back(std::move(part));
  }
  message.content.insert(message.content.begin(), thinking.begin(), thinking.end());
  return Status();
}

Result<Role> RoleOf(FieldReader& reader) {
  reader.Require("role");
  const std::string role = reader.String("role").value_or("");
  if (!reader.ok()) return reader.error();
  if (role == "system" || role == "developer") return Role::kSystem;
  if (role == "user") return Role::kUser;
  if (role == "assistant") return Role::kAssistant;
  if (role == "tool") return Role::kTool;
  reader.Fail("role", "must be system, developer, user, assistant or tool (got '" + role + "')");
  return reader.error();
}

Result<Message> ReadMessage(const json::value& value, const std::string& path) {
  if (!value.is_object()) return Error::InvalidRequest(path + ": expected an object", path);
  FieldReader reader(value.get_object(), path);
  auto role = RoleOf(reader);
  if (!role) return role.error();
  Message message;
  message.role = *role;
  message.path = path;
  message.name = reader.String("name").value_or("");
  if (Status s = ReadContent(reader, message.content); !s.ok()) return s.error();
  if (message.role == Role::kAssistant) {
    if (std::optional<std::string> refusal = reader.String("refusal"); refusal && !refusal->empty()) {
      ContentPart part;
      part.text = *refusal;
      part.path = reader.PathOf("refusal");
      message.content.push_back(std::move(part));
    }
    if (Status s = ReadToolCalls(reader, message); !s.ok()) return s.error();
    if (Status s = ReadThinkingBlocks(reader, message); !s.ok()) return s.error();
  } else if (message.role == Role::kTool) {
    reader.Require("tool_call_id");
    message.tool_call_id = reader.String("tool_call_id").value_or("");
  }
  if (!reader.ok()) return reader.error();
  if (message.role == Role::kSystem || message.role == Role::kTool) {
    if (Status s = RequireTextOnly(message, path); !s.ok()) return s.error();
  }
  return message;
}

Status ReadTools(FieldReader& reader, canonical::ChatRequest& request) {
  const json::array* tools = reader.Array("tools");
  if (!reader.ok()) return reader.error();
  if (tools == nullptr) return Status();
  for (std::size_t i = 0; i < tools->size(); ++i) {
    const std::string path = canonical::IndexPath("tools", i);
    if (!(*tools)[i].is_object()) return Error::InvalidRequest(path + ": expected an object", path);
    FieldReader tool((*tools)[i].get_object(), path);
    if (tool.String("type").value_or("function") != "function") {
      tool.Fail("type", "only function tools can be translated to another provider's format");
    }
    tool.Require("function");
    const json::object* function = tool.Object("function");
    if (!tool.ok()) return tool.error();
    FieldReader fn(*function, tool.PathOf("function"));
    fn.Require("name");
    canonical::ToolDefinition out;
    out.name = fn.String("name").value_or("");
    out.description = fn.String("description").value_or("");
    if (const json::object* parameters = fn.Object("parameters")) out.parameters = *parameters;
    out.strict = fn.Bool("strict");
    if (!fn.ok()) return fn.error();
    request.tools.push_back(std::move(out));
  }
  return Status();
}

// "auto" | "none" | "required" | {type:"function", function:{name}} |
// {type:"allowed_tools", allowed_tools:{mode:"auto"|"required", tools:[{type:"function",function:{name}}]}}
Status ReadToolChoice(FieldReader& reader, canonical::ToolChoice& choice) {
  using Mode = canonical::ToolChoice::Mode;
  const json::value* value = reader.Find("tool_choice");
  if (value == nullptr) return Status();
  if (value->is_string()) {
    const std::string_view mode = value->get_string();
    if (mode == "auto") choice.mode = Mode::kAuto;
    else if (mode == "none") choice.mode = Mode::kNone;
    else if (mode == "required") choice.mode = Mode::kRequired;
    else reader.Fail("tool_choice", "must be auto, none, required or an object");
    return reader.ok() ? Status() : Status(reader.error());
  }
  const json::object* object = reader.Object("tool_choice");
  if (!reader.ok()) return reader.error();
  FieldReader fields(*object, "tool_choice");
  const std::string type = fields.String("type").value_or("");
  if (type == "function") {
    const json::object* function = fields.Object("function");
    if (function == nullptr) fields.Require("function");
    if (!fields.ok()) return fields.error();
    FieldReader fn(*function, "tool_choice.function");
    fn.Require("name");
    choice.mode = Mode::kNamed;
    choice.name = fn.String("name").value_or("");
    return fn.ok() ? Status() : Status(fn.error());
  }
  if (type != "allowed_tools") {
    fields.Fail("type", "must be function or allowed_tools");
    return fields.error();
  }
  const json::object* allowed = fields.Object("allowed_tools");
  if (allowed == nullptr) fields.Require("allowed_tools");
  if (!fields.ok()) return fields.error();
  FieldReader list(*allowed, "tool_choice.allowed_tools");
  choice.mode = list.String("mode").value_or("auto") == "required" ? Mode::kRequired : Mode::kAuto;
  const json::array* tools = list.Array("tools");
  if (tools == nullptr) list.Require("tools");
  if (!list.ok()) return list.error();
  for (const json::value& tool : *tools) {
    const json::object* obj = tool.if_object();
    const json::value* function = obj ? obj->if_contains("function") : nullptr;
    const json::value* name = function != nullptr && function->is_object()
                                  ? function->get_object().if_contains("name")
                                  : nullptr;
    if (name == nullptr || !name->is_string()) {
      list.Fail("tools", "each entry must be {type:function, function:{name}}");
      return list.error();
    }
    choice.allowed.emplace_back(name->get_string());
  }
  return Status();
}

Status ReadResponseFormat(FieldReader& reader, canonical::ResponseFormat& format) {
  using Kind = canonical::ResponseFormat::Kind;
  const json::object* object = reader.Object("response_format");
  if (!reader.ok()) return reader.error();
  if (object == nullptr) return Status();
  FieldReader fields(*object, "response_format");
  fields.Require("type");
  const std::string type = fields.String("type").value_or("");
  if (type == "text") {
    format.kind = Kind::kText;
  } else if (type == "json_object") {
    format.kind = Kind::kJsonObject;
  } else if (type == "json_schema") {
    fields.Require("json_schema");
    const json::object* schema = fields.Object("json_schema");
    if (!fields.ok()) return fields.error();
    FieldReader spec(*schema, "response_format.json_schema");
    format.kind = Kind::kJsonSchema;
    format.name = spec.String("name").value_or("");
    format.description = spec.String("description").value_or("");
    format.strict = spec.Bool("strict");
    const json::object* body = spec.Object("schema");
    format.schema = body ? json::value(*body) : json::value(json::object{{"type", "object"}});
    if (!spec.ok()) return spec.error();
  } else if (fields.ok()) {
    fields.Fail("type", "must be text, json_object or json_schema");
  }
  return fields.ok() ? Status() : Status(fields.error());
}

// stop: a string or an array of strings.
Status ReadStop(FieldReader& reader, std::vector<std::string>& stop) {
  const json::value* value = reader.Find("stop");
  if (value == nullptr) return Status();
  if (value->is_string()) {
    stop.emplace_back(value->get_string());
    return Status();
  }
  const json::array* items = reader.Array("stop");
  if (!reader.ok()) return reader.error();
  for (const json::value& item : *items) {
    if (!item.is_string()) {
      reader.Fail("stop", "expected a string or an array of strings");
      return reader.error();
    }
    stop.emplace_back(item.get_string());
  }
  return Status();
}

Status ReadRequestOptions(FieldReader& reader, canonical::ChatRequest& request) {
  request.max_tokens = reader.Int("max_completion_tokens");
  if (!request.max_tokens) request.max_tokens = reader.Int("max_tokens");
  if (request.max_tokens && *request.max_tokens < 1) {
    reader.Fail(reader.Find("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                "must be at least 1");
  }
  request.temperature = reader.Number("temperature");
  request.top_p = reader.Number("top_p");
  request.top_k = reader.Int("top_k");
  request.parallel_tool_calls = reader.Bool("parallel_tool_calls");
  if (std::optional<std::string> effort = reader.String("reasoning_effort")) {
    request.reasoning.mode = canonical::Reasoning::Mode::kEnabled;
    request.reasoning.effort = *effort;
  }
  request.user = reader.String("user").value_or("");
  if (request.user.empty()) request.user = reader.String("safety_identifier").value_or("");
  request.stream = reader.Bool("stream").value_or(false);
  if (const json::object* options = reader.Object("stream_options")) {
    FieldReader fields(*options, "stream_options");
    request.client_wants_stream_usage = fields.Bool("include_usage").value_or(false);
    if (!fields.ok()) return fields.error();
  }
  if (!reader.ok()) return reader.error();
  if (Status s = ReadStop(reader, request.stop); !s.ok()) return s;
  if (Status s = ReadTools(reader, request); !s.ok()) return s;
  if (Status s = ReadToolChoice(reader, request.tool_choice); !s.ok()) return s;
  return ReadResponseFormat(reader, request.response_format);
}

}  // namespace

Result<canonical::ChatRequest> DecodeChatRequest(std::string_view body) {
  auto root = canonical::ParseRequestObject(body);
  if (!root) return std::move(root).error();
  FieldReader reader(*root, "");
  canonical::ChatRequest request;
  request.dialect = wire::Format::kOpenAI;
  reader.Require("model");
  reader.Require("messages");
  request.model = reader.String("model").value_or("");
  const json::array* messages = reader.Array("messages");
  if (!reader.ok()) return reader.error();
  for (std::size_t i = 0; i < messages->size(); ++i) {
    auto message = ReadMessage((*messages)[i], canonical::IndexPath("messages", i));
    if (!message) return message.error();
    request.messages.push_back(std::move(message).value());
  }
  if (Status s = ReadRequestOptions(reader, request); !s.ok()) return s.error();
  for (const auto& [key, value] : *root) {
    if (!IsMapped(key)) request.extra.emplace(key, value);
  }
  return request;
}

}  // namespace switchyard::inbound::openai

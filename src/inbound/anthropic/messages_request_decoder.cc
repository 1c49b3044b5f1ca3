#include "inbound/anthropic/messages_request_decoder.h"

#include <array>
#include <boost/json/serialize.hpp>

#include "canonical/field_reader.h"
#include "canonical/json_values.h"
#include "inbound/anthropic/messages_request_options.h"
#include "wire/anthropic/anthropic_format.h"

namespace switchyard::inbound::anthropic {
namespace json = boost::json;
using canonical::ContentPart;
using canonical::FieldReader;
using canonical::IndexPath;
using canonical::Message;
using canonical::Role;

namespace {

constexpr std::array<std::string_view, 15> kMappedFields = {
    "model", "messages", "system", "max_tokens", "temperature", "top_p", "top_k",
    "stop_sequences", "tools", "tool_choice", "thinking", "output_config", "output_format",
    "metadata", "stream"};

bool IsMapped(std::string_view key) {
  for (std::string_view mapped : kMappedFields) {
    if (mapped == key) return true;
  }
  return false;
}

// Each block of an array, checked to be an object, with its path.
template <class F>
Status ForEachObject(const json::array& items, const std::string& path, F&& visit) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = IndexPath(path, i);
    if (!items[i].is_object()) return Error::InvalidRequest(where + ": expected an object", where);
    if (Status s = visit(items[i].get_object(), where); !s.ok()) return s;
  }
  return Status();
}

ContentPart TextPart(std::string text, std::string path) {
  ContentPart part;
  part.text = std::move(text);
  part.path = std::move(path);
  return part;
}

// content: a string or an array of blocks (handled by `visit`).
template <class F>
Status ReadBlocks(FieldReader& reader, std::vector<ContentPart>& text_out, F&& visit) {
  const json::value* content = reader.Find("content");
  if (content != nullptr && content->is_string()) {
    text_out.push_back(TextPart(std::string(content->get_string()), reader.PathOf("content")));
    return Status();
  }
  const json::array* blocks = reader.Array("content");
  if (!reader.ok()) return reader.error();
  if (blocks == nullptr) return Status();
  return ForEachObject(*blocks, reader.PathOf("content"), visit);
}

Result<Message> ToolResult(const json::object& block, const std::string& path) {
  FieldReader reader(block, path);
  reader.Require("tool_use_id");
  Message result;
  result.role = Role::kTool;
  result.path = path;
  result.tool_call_id = reader.String("tool_use_id").value_or("");
  result.is_error = reader.Bool("is_error").value_or(false);
  if (!reader.ok()) return reader.error();
  Status status = ReadBlocks(reader, result.content, [&](const json::object& b, const std::string& p) {
    auto part = wire::anthropic::PartFromBlock(b, p);
    if (!part) return Status(part.error());
    result.content.push_back(std::move(part).value());
    return Status();
  });
  if (!status.ok()) return status.error();
  return result;
}

Status ReadUserTurn(FieldReader& reader, std::vector<Message>& out) {
  Message user;
  user.path = reader.path();
  std::vector<Message> results;
  Status status = ReadBlocks(reader, user.content, [&](const json::object& b, const std::string& p) {
    if (canonical::StringField(b, "type") == "tool_result") {
      auto result = ToolResult(b, p);
      if (!result) return Status(result.error());
      results.push_back(std::move(result).value());
      return Status();
    }
    auto part = wire::anthropic::PartFromBlock(b, p);
    if (!part) return Status(part.error());
    user.content.push_back(std::move(part).value());
    return Status();
  });
  if (!status.ok()) return status;
  for (Message& result : results) out.push_back(std::move(result));
  if (!user.content.empty() || results.empty()) out.push_back(std::move(user));
  return Status();
}

Status ReadAssistantTurn(FieldReader& reader, std::vector<Message>& out) {
  Message assistant;
  assistant.role = Role::kAssistant;
  assistant.path = reader.path();
  Status status =
      ReadBlocks(reader, assistant.content, [&](const json::object& b, const std::string& p) {
        if (canonical::StringField(b, "type") != "tool_use") {
          auto part = wire::anthropic::PartFromBlock(b, p);
          if (!part) return Status(part.error());
          assistant.content.push_back(std::move(part).value());
          return Status();
        }
        FieldReader call(b, p);
        call.Require("id");
        call.Require("name");
        canonical::ToolCall tool_call{call.String("id").value_or(""),
                                      call.String("name").value_or(""), "{}"};
        if (const json::object* input = call.Object("input")) {
          tool_call.arguments_json = json::serialize(*input);
        }
        if (!call.ok()) return Status(call.error());
        assistant.tool_calls.push_back(std::move(tool_call));
        return Status();
      });
  if (!status.ok()) return status;
  out.push_back(std::move(assistant));
  return Status();
}

Status ReadSystemTurn(FieldReader& reader, std::vector<Message>& out) {
  Message system;
  system.role = Role::kSystem;
  system.path = reader.path();
  Status status = ReadBlocks(reader, system.content, [&](const json::object& b, const std::string& p) {
    auto part = wire::anthropic::PartFromBlock(b, p);
    if (!part) return Status(part.error());
    if (part->kind != ContentPart::Kind::kText) {
      return Status(Error::InvalidRequest(p + ": system prompts take text blocks only", p));
    }
    system.content.push_back(std::move(part).value());
    return Status();
  });
  if (!status.ok()) return status;
  out.push_back(std::move(system));
  return Status();
}

Status ReadMessage(const json::object& object, const std::string& path, std::vector<Message>& out) {
  FieldReader reader(object, path);
  reader.Require("role");
  reader.Require("content");
  const std::string role = reader.String("role").value_or("");
  if (!reader.ok()) return reader.error();
  if (role == "user") return ReadUserTurn(reader, out);
  if (role == "assistant") return ReadAssistantTurn(reader, out);
  if (role == "system") return ReadSystemTurn(reader, out);
  reader.Fail("role", "must be user or assistant (got '" + role + "')");
  return reader.error();
}

// The top-level system prompt (a string or text blocks) as a leading system turn.
Status ReadTopSystem(const json::object& root, std::vector<Message>& out) {
  const json::value* value = root.if_contains("system");
  if (value == nullptr || value->is_null()) return Status();
  Message system;
  system.role = Role::kSystem;
  system.path = "system";
  if (value->is_string()) {
    system.content.push_back(TextPart(std::string(value->get_string()), "system"));
  } else if (value->is_array()) {
    Status s = ForEachObject(value->get_array(), "system",
                             [&](const json::object& b, const std::string& p) {
      auto part = wire::anthropic::PartFromBlock(b, p);
      if (!part) return Status(part.error());
      if (part->kind != ContentPart::Kind::kText) {
        return Status(Error::InvalidRequest(p + ": system prompts take text blocks only", p));
      }
      system.content.push_back(std::move(part).value());
      return Status();
    });
    if (!s.ok()) return s;
  } else {
    return Error::InvalidRequest("system: expected a string or an array of text blocks", "system");
  }
  out.push_back(std::move(system));
  return Status();
}

}  // namespace

Result<canonical::ChatRequest> DecodeMessagesRequest(std::string_view body) {
  auto root = canonical::ParseRequestObject(body);
  if (!root) return std::move(root).error();
  FieldReader reader(*root, "");
  canonical::ChatRequest request;
  request.dialect = wire::Format::kAnthropic;
  reader.Require("model");
  reader.Require("max_tokens");
  reader.Require("messages");
  request.model = reader.String("model").value_or("");
  const json::array* messages = reader.Array("messages");
  if (!reader.ok()) return reader.error();
  if (Status system = ReadTopSystem(*root, request.messages); !system.ok()) return system.error();
  Status s = ForEachObject(*messages, "messages", [&](const json::object& m, const std::string& p) {
    return ReadMessage(m, p, request.messages);
  });
  if (!s.ok()) return s.error();
  if (Status options = ReadMessagesOptions(*root, request); !options.ok()) return options.error();
  for (const auto& [key, value] : *root) {
    if (!IsMapped(key)) request.extra.emplace(key, value);
  }
  return request;
}

}  // namespace switchyard::inbound::anthropic

#include "providers/openai_compat/openai_request_encoder.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "canonical/json_values.h"
#include "providers/openai_compat/openai_message_encoder.h"

namespace switchyard::providers::openai_compat {
namespace json = boost::json;
using canonical::ChatRequest;
using canonical::Reasoning;
using canonical::ResponseFormat;
using canonical::ToolChoice;

namespace {

Status CheckAnthropicField(std::string_view key, const json::value& value,
                           canonical::DroppedParams& dropped) {
  if (value.is_null()) return Status();
  if (key == "container" || key == "mcp_servers") {
    return Error::InvalidRequest(
        fmt::format("{}: not available when the target speaks the openai wire format", key),
        std::string(key));
  }
  dropped.Add(key);
  return Status();
}

json::value ChoiceValue(const ToolChoice& choice) {
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto:
    case ToolChoice::Mode::kRequired:
      if (!choice.allowed.empty()) {
        json::array tools;
        for (const std::string& name : choice.allowed) {
          tools.push_back(json::object{{"type", "function"},
                                       {"function", json::object{{"name", name}}}});
        }
        return json::object{
            {"type", "allowed_tools"},
            {"allowed_tools",
             json::object{{"mode", choice.mode == ToolChoice::Mode::kAuto ? "auto" : "required"},
                          {"tools", std::move(tools)}}}};
      }
      return json::value(choice.mode == ToolChoice::Mode::kAuto ? "auto" : "required");
    case ToolChoice::Mode::kNone: return json::value("none");
    case ToolChoice::Mode::kNamed:
      return json::object{{"type", "function"}, {"function", json::object{{"name", choice.name}}}};
    case ToolChoice::Mode::kUnset: break;
  }
  return nullptr;
}

json::array ToolsArray(const ChatRequest& request, canonical::DroppedParams& dropped) {
  json::array tools;
  for (const canonical::ToolDefinition& tool : request.tools) {
    json::object function{{"name", tool.name}};
    if (!tool.description.empty()) function["description"] = tool.description;
    function["parameters"] = tool.parameters.is_object()
                                 ? tool.parameters
                                 : json::value(json::object{{"type", "object"},
                                                            {"properties", json::object()}});
    if (tool.strict) function["strict"] = *tool.strict;
    if (!tool.cache_control.is_null()) dropped.Add("cache_control");
    tools.push_back(json::object{{"type", "function"}, {"function", std::move(function)}});
  }
  return tools;
}

json::value ResponseFormatValue(const ChatRequest& request) {
  const ResponseFormat& format = request.response_format;
  switch (format.kind) {
    case ResponseFormat::Kind::kText: return json::object{{"type", "text"}};
    case ResponseFormat::Kind::kJsonObject: return json::object{{"type", "json_object"}};
    case ResponseFormat::Kind::kJsonSchema: {
      json::object spec{{"name", format.name.empty() ? "response" : format.name}};
      if (!format.description.empty()) spec["description"] = format.description;
      spec["schema"] = format.schema;
      spec["strict"] = format.strict.value_or(request.dialect != wire::Format::kOpenAI);
      return json::object{{"type", "json_schema"}, {"json_schema", std::move(spec)}};
    }
    case ResponseFormat::Kind::kUnset: break;
  }
  return nullptr;
}

std::string ReasoningEffort(const Reasoning& reasoning) {
  if (reasoning.mode == Reasoning::Mode::kDisabled) return {};
  if (!reasoning.effort.empty()) return reasoning.effort;
  if (reasoning.mode == Reasoning::Mode::kEnabled && reasoning.budget_tokens) {
    return std::string(EffortForBudget(*reasoning.budget_tokens));
  }
  return {};
}

void AddSampling(const ChatRequest& request, json::object& body,
                 canonical::DroppedParams& dropped) {
  if (request.max_tokens) body["max_completion_tokens"] = *request.max_tokens;
  if (request.temperature) body["temperature"] = canonical::NumberValue(*request.temperature);
  if (request.top_p) body["top_p"] = canonical::NumberValue(*request.top_p);
  if (request.top_k) {
    if (request.dialect == wire::Format::kOpenAI) {
      body["top_k"] = *request.top_k;  // the client's own extension; its host may know it
    } else {
      dropped.Add("top_k");
    }
  }
  if (!request.stop.empty()) {
    json::array stop;
    for (const std::string& s : request.stop) stop.emplace_back(s);
    body["stop"] = std::move(stop);
  }
}

void AddTools(const ChatRequest& request, json::object& body, canonical::DroppedParams& dropped) {
  if (request.tools.empty()) return;
  body["tools"] = ToolsArray(request, dropped);
  if (json::value choice = ChoiceValue(request.tool_choice); !choice.is_null()) {
    body["tool_choice"] = std::move(choice);
  }
  if (request.parallel_tool_calls) body["parallel_tool_calls"] = *request.parallel_tool_calls;
}

void ApplyRenames(const hosts::HostProfile* profile, json::object& body) {
  if (profile == nullptr) return;
  for (const hosts::ParamRename& rename : profile->renames) {
    auto from = body.find(rename.from);
    if (from == body.end() || body.contains(rename.to)) continue;
    json::value value = std::move(from->value());
    body.erase(from);
    body[rename.to] = std::move(value);
  }
}

}  // namespace

std::string_view EffortForBudget(std::int64_t budget_tokens) {
  if (budget_tokens <= 1024) return "low";
  if (budget_tokens <= 2048) return "medium";
  return "high";
}

Result<canonical::EncodedBody> EncodeOpenAIRequest(const ChatRequest& request,
                                                   std::string_view model,
                                                   const hosts::HostProfile* profile) {
  canonical::DroppedParams dropped;
  if (request.dialect == wire::Format::kAnthropic && !request.messages.empty() &&
      request.messages.back().role == canonical::Role::kAssistant) {
    // Anthropic continues a final assistant turn (a prefill); OpenAI would answer it anew.
    return Error::InvalidRequest(
        "messages: a final assistant message (a prefill) cannot be continued when the target "
        "speaks the openai wire format", "messages");
  }
  if (request.dialect != wire::Format::kOpenAI) {
    for (const auto& [key, value] : request.extra) {
      if (Status s = CheckAnthropicField(key, value, dropped); !s.ok()) return s.error();
    }
  }
  json::object body{{"model", model}};
  body["messages"] = EncodeOpenAIMessages(request.messages, dropped);
  AddSampling(request, body, dropped);
  AddTools(request, body, dropped);
  if (json::value format = ResponseFormatValue(request); !format.is_null()) {
    body["response_format"] = std::move(format);
  }
  if (std::string effort = ReasoningEffort(request.reasoning); !effort.empty()) {
    body["reasoning_effort"] = effort;
  }
  if (!request.user.empty()) body["user"] = request.user;
  if (request.stream) {
    body["stream"] = true;
    if (profile == nullptr || profile->stream_usage == hosts::StreamUsage::kOnRequest) {
      body["stream_options"] = json::object{{"include_usage", true}};
    }
  }
  if (request.dialect == wire::Format::kOpenAI) {
    for (const auto& [key, value] : request.extra) body.emplace(key, value);
  }
  ApplyRenames(profile, body);
  return canonical::EncodedBody{json::serialize(body), dropped.Take()};
}

}  // namespace switchyard::providers::openai_compat

#include "providers/anthropic/anthropic_request_encoder.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "canonical/json_values.h"
#include "canonical/unmappable_openai_fields.h"
#include "providers/anthropic/anthropic_message_encoder.h"

namespace switchyard::providers::anthropic {
namespace json = boost::json;
using canonical::ChatRequest;
using canonical::Reasoning;
using canonical::ResponseFormat;
using canonical::ToolChoice;

namespace {

constexpr std::int64_t kMinThinkingBudget = 1024;  // Anthropic's minimum budget_tokens

Error Refuse(std::string_view param, std::string_view why) {
  return Error::InvalidRequest(
      fmt::format("{}: {} (the target speaks the anthropic wire format)", param, why),
      std::string(param));
}

// Status for one field of the OpenAI dialect that the canonical model does not name. Fields that
// ask for something in the answer Anthropic cannot give are refused; the rest (seed, penalties,
// store, metadata, service_tier, prompt_cache_key, safety_identifier, prediction, verbosity, and
// fields unknown here) cannot change what the answer is made of, and are dropped and listed.
Status CheckOpenAIField(std::string_view key, const json::value& value,
                        canonical::DroppedParams& dropped) {
  if (value.is_null()) return Status();
  if (const auto why = canonical::UnmappableOpenAIField(key, value)) {
    return why->empty() ? Status() : Status(Refuse(key, *why));
  }
  dropped.Add(key);
  return Status();
}

class RequestEncoder {
 public:
  RequestEncoder(const ChatRequest& request, std::string_view model)
      : request_(request), model_(model) {}

  Result<canonical::EncodedBody> Encode() {
    body_["model"] = model_;
    if (Status s = CheckExtra(); !s.ok()) return s.error();
    auto conversation = EncodeConversation(request_.messages, dropped_);
    if (!conversation) return conversation.error();
    if (Status s = EncodeThinking(); !s.ok()) return s.error();
    if (Status s = EncodeMaxTokens(); !s.ok()) return s.error();
    if (!conversation->system.is_null()) body_["system"] = std::move(conversation->system);
    body_["messages"] = std::move(conversation->messages);
    if (Status s = EncodeSampling(); !s.ok()) return s.error();
    if (Status s = EncodeTools(conversation->has_tool_blocks); !s.ok()) return s.error();
    if (Status s = EncodeResponseFormat(); !s.ok()) return s.error();
    EncodeUser();
    if (request_.stream) body_["stream"] = true;
    if (request_.dialect == wire::Format::kAnthropic) {
      for (const auto& [key, value] : request_.extra) body_.emplace(key, value);
    }
    return canonical::EncodedBody{json::serialize(body_), dropped_.Take()};
  }

 private:
  Status CheckExtra() {
    if (request_.dialect == wire::Format::kAnthropic) return Status();
    for (const auto& [key, value] : request_.extra) {
      Status status = CheckOpenAIField(key, value, dropped_);
      if (!status.ok()) return status;
    }
    return Status();
  }

  std::string_view MaxTokensName() const {
    return request_.dialect == wire::Format::kOpenAI ? "max_completion_tokens" : "max_tokens";
  }

  Status EncodeThinking() {
    const Reasoning& reasoning = request_.reasoning;
    const bool from_effort = reasoning.mode == Reasoning::Mode::kEnabled &&
                             !reasoning.budget_tokens && !reasoning.effort.empty();
    if (from_effort) {
      budget_ = ThinkingBudgetForEffort(reasoning.effort);
      budget_from_effort_ = true;
      if (budget_ == 0 && reasoning.effort != "none") {
        return Refuse("reasoning_effort", "unknown effort '" + reasoning.effort + "'");
      }
      if (budget_ > 0) {
        body_["thinking"] = json::object{{"type", "enabled"}, {"budget_tokens", budget_}};
      }
      return Status();
    }
    switch (reasoning.mode) {
      case Reasoning::Mode::kEnabled:
        budget_ = reasoning.budget_tokens.value_or(ThinkingBudgetForEffort("medium"));
        body_["thinking"] = json::object{{"type", "enabled"}, {"budget_tokens", budget_}};
        break;
      case Reasoning::Mode::kAdaptive:
        body_["thinking"] = json::object{{"type", "adaptive"}};
        break;
      case Reasoning::Mode::kDisabled:
        body_["thinking"] = json::object{{"type", "disabled"}};
        break;
      case Reasoning::Mode::kUnset:
        break;
    }
    if (!reasoning.effort.empty()) output_config_["effort"] = reasoning.effort;
    return Status();
  }

  bool ThinkingOn() const {
    return budget_ > 0 || request_.reasoning.mode == Reasoning::Mode::kAdaptive;
  }

  Status EncodeMaxTokens() {
    std::int64_t max_tokens = kDefaultMaxTokens + budget_;
    if (request_.max_tokens) {
      max_tokens = *request_.max_tokens;
      if (budget_from_effort_ && max_tokens <= budget_ && max_tokens > kMinThinkingBudget) {
        // OpenAI's limit covers reasoning too: think within it.
        budget_ = max_tokens - 1;
        body_["thinking"].as_object()["budget_tokens"] = budget_;
      }
      if (budget_ > 0 && max_tokens <= budget_) {
        return Refuse(MaxTokensName(),
                      fmt::format("must exceed the thinking budget of {} tokens", budget_));
      }
    }
    body_["max_tokens"] = max_tokens;
    return Status();
  }

  Status EncodeSampling() {
    if (request_.temperature) {
      if (*request_.temperature < 0 || *request_.temperature > 1) {
        return Refuse("temperature", "must be between 0 and 1");
      }
      body_["temperature"] = canonical::NumberValue(*request_.temperature);
    }
    if (request_.top_p) body_["top_p"] = canonical::NumberValue(*request_.top_p);
    if (request_.top_k) body_["top_k"] = *request_.top_k;
    if (request_.stop.empty()) return Status();
    json::array stops;
    for (const std::string& stop : request_.stop) {
      if (std::all_of(stop.begin(), stop.end(), [](unsigned char c) { return std::isspace(c); })) {
        return Refuse(request_.dialect == wire::Format::kOpenAI ? "stop" : "stop_sequences",
                      "whitespace-only stop sequences are refused");
      }
      stops.emplace_back(stop);
    }
    body_["stop_sequences"] = std::move(stops);
    return Status();
  }

  Status CheckToolNames() const {
    for (const canonical::ToolDefinition& tool : request_.tools) {
      if (tool.name == kJsonToolName) {
        return Refuse("tools", fmt::format("the tool name '{}' is reserved", kJsonToolName));
      }
    }
    for (const std::string& name : request_.tool_choice.allowed) {
      const bool known = std::any_of(request_.tools.begin(), request_.tools.end(),
                                     [&](const auto& tool) { return tool.name == name; });
      if (!known) return Refuse("tool_choice", "allows a tool that is not in tools: " + name);
    }
    return Status();
  }

  json::array ToolsArray() {
    json::array tools;
    const std::vector<std::string>& allowed = request_.tool_choice.allowed;
    for (const canonical::ToolDefinition& tool : request_.tools) {
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), tool.name) == allowed.end()) {
        continue;
      }
      json::object out{{"name", tool.name}};
      if (!tool.description.empty()) out["description"] = tool.description;
      out["input_schema"] = tool.parameters.is_object()
                                ? tool.parameters
                                : json::value(json::object{{"type", "object"},
                                                           {"properties", json::object()}});
      if (tool.strict) out["strict"] = *tool.strict;
      if (!tool.cache_control.is_null()) out["cache_control"] = tool.cache_control;
      tools.push_back(std::move(out));
    }
    return tools;
  }

  Result<json::object> ChoiceObject(bool have_tools) const {
    const ToolChoice& choice = request_.tool_choice;
    const bool no_parallel = request_.parallel_tool_calls == false;
    json::object out;
    switch (choice.mode) {
      case ToolChoice::Mode::kUnset:
        if (!no_parallel || !have_tools) return out;
        out["type"] = "auto";
        break;
      case ToolChoice::Mode::kAuto: out["type"] = "auto"; break;
      case ToolChoice::Mode::kNone: out["type"] = "none"; return out;
      case ToolChoice::Mode::kRequired: out["type"] = "any"; break;
      case ToolChoice::Mode::kNamed:
        out["type"] = "tool";
        out["name"] = choice.name;
        break;
    }
    const bool forced = out["type"] == "any" || out["type"] == "tool";
    if (forced && !have_tools) return Refuse("tool_choice", "requires tools");
    if (forced && ThinkingOn()) {
      return Refuse("tool_choice", "cannot force a tool call while thinking is enabled");
    }
    if (no_parallel) out["disable_parallel_tool_use"] = true;
    return out;
  }

  Status EncodeTools(bool has_tool_blocks) {
    if (Status s = CheckToolNames(); !s.ok()) return s;
    json::array tools = ToolsArray();
    auto choice = ChoiceObject(!tools.empty());
    if (!choice) return choice.error();
    if (tools.empty() && has_tool_blocks) {
      // Anthropic refuses tool_use/tool_result blocks without a tools array; this placeholder is
      // never called (tool_choice none).
      tools.push_back(json::object{{"name", "switchyard_no_tools"},
                                   {"description", "Placeholder. Never call this tool."},
                                   {"input_schema", json::object{{"type", "object"}}}});
      *choice = json::object{{"type", "none"}};
    }
    if (!tools.empty()) body_["tools"] = std::move(tools);
    if (!choice->empty() && body_.contains("tools")) body_["tool_choice"] = std::move(*choice);
    return Status();
  }

  Status EncodeResponseFormat() {
    const ResponseFormat& format = request_.response_format;
    if (format.kind == ResponseFormat::Kind::kJsonSchema) {
      output_config_["format"] = json::object{{"type", "json_schema"}, {"schema", format.schema}};
    } else if (format.kind == ResponseFormat::Kind::kJsonObject) {
      if (body_.contains("tools")) {
        return Refuse("response_format", "json_object cannot be combined with tools");
      }
      if (ThinkingOn()) {
        return Refuse("response_format", "json_object cannot be combined with reasoning");
      }
      body_["tools"] = json::array{json::object{
          {"name", kJsonToolName},
          {"description", "Give the answer as a JSON object."},
          {"input_schema", json::object{{"type", "object"}}}}};
      body_["tool_choice"] = json::object{{"type", "tool"}, {"name", kJsonToolName}};
    }
    if (!output_config_.empty()) body_["output_config"] = output_config_;
    return Status();
  }

  // metadata.user_id must be an opaque id: values that look like an email or a phone number
  // are not sent.
  void EncodeUser() {
    const std::string& user = request_.user;
    if (user.empty()) return;
    const auto digits = std::count_if(user.begin(), user.end(),
                                      [](unsigned char c) { return std::isdigit(c); });
    const bool phone_like = digits >= 7 && std::all_of(user.begin(), user.end(), [](unsigned char c) {
                              return std::isdigit(c) || c == '+' || c == '-' || c == ' ' ||
                                     c == '(' || c == ')' || c == '.';
                            });
    if (user.find('@') != std::string::npos || phone_like) {
      dropped_.Add(request_.dialect == wire::Format::kOpenAI ? "user" : "metadata.user_id");
      return;
    }
    body_["metadata"] = json::object{{"user_id", user}};
  }

  const ChatRequest& request_;
  const std::string_view model_;
  json::object body_;
  json::object output_config_;
  canonical::DroppedParams dropped_;
  std::int64_t budget_ = 0;
  bool budget_from_effort_ = false;
};

}  // namespace

std::int64_t ThinkingBudgetForEffort(std::string_view effort) {
  if (effort == "minimal" || effort == "low") return 1024;
  if (effort == "medium") return 2048;
  if (effort == "high") return 4096;
  if (effort == "xhigh") return 8192;
  if (effort == "max") return 16384;
  return 0;
}

Result<canonical::EncodedBody> EncodeAnthropicRequest(const ChatRequest& request,
                                                      std::string_view model) {
  return RequestEncoder(request, model).Encode();
}

}  // namespace switchyard::providers::anthropic

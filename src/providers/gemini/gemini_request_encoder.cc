#include "providers/gemini/gemini_request_encoder.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <fmt/format.h>

#include "canonical/json_values.h"
#include "canonical/unmappable_openai_fields.h"
#include "providers/gemini/gemini_content_encoder.h"

namespace switchyard::providers::gemini {
namespace json = boost::json;
using canonical::ChatRequest;
using canonical::Reasoning;
using canonical::ResponseFormat;
using canonical::ToolChoice;

namespace {

Error Refuse(std::string_view param, std::string_view why) {
  return Error::InvalidRequest(
      fmt::format("{}: {} (the target speaks the gemini wire format)", param, why),
      std::string(param));
}

bool IsInteger(const json::value& value) {
  if (value.is_int64() || value.is_uint64()) return true;
  return value.is_double() && std::trunc(value.get_double()) == value.get_double() &&
         std::fabs(value.get_double()) < 9.0e15;
}

class RequestEncoder {
 public:
  explicit RequestEncoder(const ChatRequest& request) : request_(request) {}

  Result<canonical::EncodedBody> Encode() {
    if (Status s = CheckExtra(); !s.ok()) return s.error();
    auto contents = EncodeContents(request_.messages, request_.dialect, dropped_);
    if (!contents) return contents.error();
    if (!contents->system_instruction.empty()) {
      body_["systemInstruction"] = std::move(contents->system_instruction);
    }
    body_["contents"] = std::move(contents->contents);
    if (Status s = EncodeTools(); !s.ok()) return s.error();
    EncodeSampling();
    EncodeResponseFormat();
    if (Status s = EncodeThinking(); !s.ok()) return s.error();
    NoteDropped();
    if (!config_.empty()) body_["generationConfig"] = std::move(config_);
    return canonical::EncodedBody{json::serialize(body_), dropped_.Take()};
  }

 private:
  // The client's own spelling of a field, by dialect.
  std::string_view Name(std::string_view openai, std::string_view anthropic) const {
    return request_.dialect == wire::Format::kAnthropic ? anthropic : openai;
  }

  Status CheckExtra() {
    for (const auto& [key, value] : request_.extra) {
      if (value.is_null()) continue;
      Status status = request_.dialect == wire::Format::kAnthropic ? CheckAnthropicField(key)
                                                              : CheckOpenAIField(key, value);
      if (!status.ok()) return status;
    }
    return Status();
  }

  Status CheckAnthropicField(std::string_view key) {
    if (key == "container" || key == "mcp_servers") return Refuse(key, "not available");
    dropped_.Add(key);
    return Status();
  }

  // The fields Gemini has a place for (seed, penalties), then the ones no other format can honour.
  Status CheckOpenAIField(std::string_view key, const json::value& value) {
    if (key == "seed") {
      if (!IsInteger(value)) return Refuse(key, "must be an integer");
      config_["seed"] = value;
      return Status();
    }
    if (key == "presence_penalty" || key == "frequency_penalty") {
      if (!value.is_number()) return Refuse(key, "must be a number");
      config_[key == "presence_penalty" ? "presencePenalty" : "frequencyPenalty"] = value;
      return Status();
    }
    if (const auto why = canonical::UnmappableOpenAIField(key, value)) {
      return why->empty() ? Status() : Status(Refuse(key, *why));
    }
    dropped_.Add(key);
    return Status();
  }

  void EncodeSampling() {
    if (request_.max_tokens) config_["maxOutputTokens"] = *request_.max_tokens;
    if (request_.temperature) config_["temperature"] = canonical::NumberValue(*request_.temperature);
    if (request_.top_p) config_["topP"] = canonical::NumberValue(*request_.top_p);
    if (request_.top_k) config_["topK"] = *request_.top_k;
    if (request_.stop.empty()) return;
    json::array stops;
    for (const std::string& stop : request_.stop) stops.emplace_back(stop);
    config_["stopSequences"] = std::move(stops);
  }

  void EncodeResponseFormat() {
    const ResponseFormat& format = request_.response_format;
    if (format.kind == ResponseFormat::Kind::kJsonObject) {
      config_["responseMimeType"] = "application/json";
    } else if (format.kind == ResponseFormat::Kind::kJsonSchema) {
      config_["responseMimeType"] = "application/json";
      config_["responseJsonSchema"] = format.schema;
      if (!format.description.empty()) dropped_.Add("response_format.json_schema.description");
    }
  }

  Status EncodeThinking() {
    const Reasoning& reasoning = request_.reasoning;
    std::optional<std::int64_t> budget;
    switch (reasoning.mode) {
      case Reasoning::Mode::kUnset:
        if (!reasoning.effort.empty()) dropped_.Add("output_config.effort");
        return Status();
      case Reasoning::Mode::kDisabled: budget = 0; break;
      case Reasoning::Mode::kAdaptive:
      case Reasoning::Mode::kEnabled:
        if (reasoning.budget_tokens) {
          budget = *reasoning.budget_tokens;
          if (!reasoning.effort.empty()) dropped_.Add("output_config.effort");
        } else if (!reasoning.effort.empty()) {
          budget = ThinkingBudgetForEffort(reasoning.effort);
          if (!budget) {
            return Refuse(Name("reasoning_effort", "output_config.effort"),
                          "unknown effort '" + reasoning.effort + "'");
          }
        } else {
          budget = -1;  // Gemini's dynamic budget
        }
        break;
    }
    json::object thinking{{"thinkingBudget", *budget}};
    if (*budget != 0) thinking["includeThoughts"] = true;
    config_["thinkingConfig"] = std::move(thinking);
    return Status();
  }

  bool Allowed(std::string_view name) const {
    const std::vector<std::string>& allowed = request_.tool_choice.allowed;
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), name) != allowed.end();
  }

  bool HasTool(std::string_view name) const {
    return std::any_of(request_.tools.begin(), request_.tools.end(),
                       [&](const canonical::ToolDefinition& tool) { return tool.name == name; });
  }

  Status CheckToolChoiceNames() const {
    const ToolChoice& choice = request_.tool_choice;
    for (const std::string& name : choice.allowed) {
      if (!HasTool(name)) return Refuse("tool_choice", "allows a tool that is not in tools: " + name);
    }
    if (choice.mode == ToolChoice::Mode::kNamed && !HasTool(choice.name)) {
      return Refuse("tool_choice", "names a tool that is not in tools: " + choice.name);
    }
    return Status();
  }

  json::array Declarations() {
    json::array declarations;
    for (const canonical::ToolDefinition& tool : request_.tools) {
      if (!Allowed(tool.name)) continue;
      json::object out{{"name", tool.name}};
      if (!tool.description.empty()) out["description"] = tool.description;
      if (tool.parameters.is_object()) out["parametersJsonSchema"] = tool.parameters;
      if (tool.strict == true) dropped_.Add(Name("tools[].function.strict", "tools[].strict"));
      if (!tool.cache_control.is_null()) dropped_.Add("cache_control");
      declarations.push_back(std::move(out));
    }
    return declarations;
  }

  // {mode, allowedFunctionNames}; empty when the model's default (AUTO) is asked for.
  json::object CallingConfig() const {
    const ToolChoice& choice = request_.tool_choice;
    switch (choice.mode) {
      case ToolChoice::Mode::kUnset: return {};
      case ToolChoice::Mode::kAuto: return {{"mode", "AUTO"}};
      case ToolChoice::Mode::kNone: return {{"mode", "NONE"}};
      case ToolChoice::Mode::kRequired: {
        json::object out{{"mode", "ANY"}};
        if (!choice.allowed.empty()) {
          out["allowedFunctionNames"] = json::array(choice.allowed.begin(), choice.allowed.end());
        }
        return out;
      }
      case ToolChoice::Mode::kNamed:
        return {{"mode", "ANY"}, {"allowedFunctionNames", json::array{json::value(choice.name)}}};
    }
    return {};
  }

  Status EncodeTools() {
    if (Status s = CheckToolChoiceNames(); !s.ok()) return s;
    json::array declarations = Declarations();
    json::object calling = CallingConfig();
    if (declarations.empty()) {
      const json::value* mode = calling.if_contains("mode");
      if (mode != nullptr && *mode == "ANY") return Refuse("tool_choice", "requires tools");
      return Status();  // AUTO and NONE mean nothing without tools
    }
    body_["tools"] = json::array{json::object{{"functionDeclarations", std::move(declarations)}}};
    if (!calling.empty()) {
      body_["toolConfig"] = json::object{{"functionCallingConfig", std::move(calling)}};
    }
    return Status();
  }

  void NoteDropped() {
    if (!request_.user.empty()) dropped_.Add(Name("user", "metadata.user_id"));
    if (request_.parallel_tool_calls.has_value()) {
      dropped_.Add(Name("parallel_tool_calls", "tool_choice.disable_parallel_tool_use"));
    }
  }

  const ChatRequest& request_;
  json::object body_;
  json::object config_;  // generationConfig
  canonical::DroppedParams dropped_;
};

}  // namespace

std::optional<std::int64_t> ThinkingBudgetForEffort(std::string_view effort) {
  if (effort == "none") return 0;
  if (effort == "minimal" || effort == "low") return 1024;
  if (effort == "medium") return 2048;
  if (effort == "high") return 4096;
  if (effort == "xhigh") return 8192;
  if (effort == "max") return 16384;
  return std::nullopt;
}

Result<canonical::EncodedBody> EncodeGeminiRequest(const ChatRequest& request) {
  return RequestEncoder(request).Encode();
}

}  // namespace switchyard::providers::gemini

#include "providers/gemini/gemini_content_encoder.h"

#include <fmt/format.h>
#include <map>
#include <optional>
#include <string>

#include "canonical/client_paths.h"
#include "canonical/json_values.h"
#include "wire/gemini/gemini_format.h"

namespace switchyard::providers::gemini {
using wire::gemini::UnmarkSignature;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::Message;
using canonical::Role;

namespace {

constexpr std::string_view kDroppedThinking = "messages[].content[].thinking";

struct Turn {
  std::string role;
  json::array parts;
};

class ContentsEncoder {
 public:
  ContentsEncoder(std::optional<wire::Format> dialect, canonical::DroppedParams& dropped)
      : dialect_(dialect), dropped_(dropped) {}

  Result<EncodedContents> Encode(const std::vector<Message>& messages) {
    if (dialect_ == wire::Format::kAnthropic && !messages.empty() &&
        messages.back().role == Role::kAssistant) {
      // Anthropic continues a final assistant turn (a prefill); Gemini would answer it anew.
      return Error::InvalidRequest(
          "messages: a final assistant message (a prefill) cannot be continued when the target "
          "speaks the gemini wire format", "messages");
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
      Status status = EncodeMessage(messages[i], canonical::MessagePath(messages[i], i));
      if (!status.ok()) return status.error();
    }
    EncodedContents out;
    if (!system_text_.empty()) {
      out.system_instruction["parts"] = json::array{json::object{{"text", system_text_}}};
    }
    for (Turn& turn : turns_) {
      out.contents.push_back(json::object{{"role", turn.role}, {"parts", std::move(turn.parts)}});
    }
    return out;
  }

 private:
  Status EncodeMessage(const Message& message, const std::string& path) {
    if (!message.name.empty()) dropped_.Add("messages[].name");
    for (const ContentPart& part : message.content) {
      if (!part.cache_control.is_null()) dropped_.Add("cache_control");
    }
    switch (message.role) {
      case Role::kSystem: return AddSystem(message, path);
      case Role::kUser: return AddUser(message, path);
      case Role::kAssistant: return AddAssistant(message, path);
      case Role::kTool: return AddToolResult(message, path);
    }
    return Status();
  }

  Status AddSystem(const Message& message, const std::string& path) {
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      const ContentPart& part = message.content[j];
      if (part.kind != ContentPart::Kind::kText) {
        const std::string where = canonical::PartPath(part, path, j);
        return Error::InvalidRequest(where + ": system prompts take text only", where);
      }
      if (part.text.empty()) continue;
      if (!system_text_.empty()) system_text_ += "\n\n";
      system_text_ += part.text;
    }
    return Status();
  }

  // A text, image or document part as a Gemini part; an empty object for nothing to send.
  Result<json::object> MediaPart(const ContentPart& part, const std::string& path) {
    switch (part.kind) {
      case ContentPart::Kind::kText:
        if (part.text.empty()) return json::object();
        return json::object{{"text", part.text}};
      case ContentPart::Kind::kImageUrl: return ImageUrlRefused(path);
      case ContentPart::Kind::kImageBase64:
      case ContentPart::Kind::kDocumentBase64:
        if (!part.detail.empty()) dropped_.Add("messages[].content[].image_url.detail");
        if (!part.filename.empty()) dropped_.Add("messages[].content[].file.filename");
        return json::object{
            {"inlineData", json::object{{"mimeType", part.media_type}, {"data", part.data}}}};
      case ContentPart::Kind::kThinking:
      case ContentPart::Kind::kRedactedThinking: break;
    }
    return json::object();
  }

  Error ImageUrlRefused(const std::string& path) const {
    const std::string field =
        path + (dialect_ == wire::Format::kOpenAI      ? ".image_url"
                : dialect_ == wire::Format::kAnthropic ? ".source"
                                                       : "");
    return Error::InvalidRequest(
        fmt::format("{}: the gemini wire format takes images as inline data only (a base64 data "
                    "URI), not as URLs, and this gateway does not fetch image URLs", field),
        field);
  }

  Status AddUser(const Message& message, const std::string& path) {
    json::array parts;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      auto part = MediaPart(message.content[j], canonical::PartPath(message.content[j], path, j));
      if (!part) return part.error();
      if (!part->empty()) parts.push_back(std::move(part).value());
    }
    Append("user", std::move(parts));
    return Status();
  }

  // The index of the thinking part whose signature the turn's first functionCall gets (the last
  // Gemini-signed one), or -1.
  static int CallSignatureIndex(const Message& message) {
    if (message.tool_calls.empty()) return -1;
    for (int j = static_cast<int>(message.content.size()) - 1; j >= 0; --j) {
      const ContentPart& part = message.content[j];
      if (part.kind == ContentPart::Kind::kThinking && UnmarkSignature(part.data)) return j;
    }
    return -1;
  }

  // Reasoning is not sent back; what it held that Gemini cannot use is listed.
  std::optional<std::string_view> ReadThinking(const ContentPart& part) {
    if (part.kind == ContentPart::Kind::kRedactedThinking) {
      dropped_.Add(kDroppedThinking);
      return std::nullopt;
    }
    std::optional<std::string_view> signature = UnmarkSignature(part.data);
    if (!part.text.empty() || (!part.data.empty() && !signature)) dropped_.Add(kDroppedThinking);
    return signature;
  }

  static void PutSignatureOnLastFreePart(json::array& parts, std::string_view signature) {
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      json::object& part = it->as_object();
      if (part.contains("thoughtSignature")) continue;
      part["thoughtSignature"] = signature;
      return;
    }
  }

  Status AddAssistant(const Message& message, const std::string& path) {
    const int call_signature_index = CallSignatureIndex(message);
    json::array parts;
    std::optional<std::string_view> pending;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      const ContentPart& part = message.content[j];
      if (part.kind == ContentPart::Kind::kThinking ||
          part.kind == ContentPart::Kind::kRedactedThinking) {
        std::optional<std::string_view> signature = ReadThinking(part);
        if (signature && static_cast<int>(j) != call_signature_index) pending = signature;
        continue;
      }
      auto encoded = MediaPart(part, canonical::PartPath(part, path, j));
      if (!encoded) return encoded.error();
      if (encoded->empty()) continue;
      if (pending) encoded->emplace("thoughtSignature", *pending);
      pending.reset();
      parts.push_back(std::move(encoded).value());
    }
    if (pending) PutSignatureOnLastFreePart(parts, *pending);
    std::string_view call_signature = kSkipSignatureValidator;
    if (call_signature_index >= 0) {
      call_signature = *UnmarkSignature(message.content[call_signature_index].data);
    }
    for (std::size_t k = 0; k < message.tool_calls.size(); ++k) {
      parts.push_back(FunctionCallPart(message.tool_calls[k]));
      if (k == 0) parts.back().as_object()["thoughtSignature"] = call_signature;
    }
    Append("model", std::move(parts));
    return Status();
  }

  json::object FunctionCallPart(const canonical::ToolCall& call) {
    call_names_[call.id] = call.name;  // a later call with the same id is the one answered next
    std::optional<json::object> args = canonical::ParseArguments(call.arguments_json);
    return json::object{
        {"functionCall",
         json::object{{"name", call.name}, {"args", args ? std::move(*args) : json::object()}}}};
  }

  std::string ToolCallIdField(const std::string& path) const {
    return path + (dialect_ == wire::Format::kAnthropic ? ".tool_use_id" : ".tool_call_id");
  }

  Status AddToolResult(const Message& message, const std::string& path) {
    auto name = call_names_.find(message.tool_call_id);
    if (name == call_names_.end()) {
      const std::string field = ToolCallIdField(path);
      return Error::InvalidRequest(
          fmt::format("{}: no earlier assistant tool call has the id '{}'; the gemini wire format "
                      "matches tool results to calls by function name", field, message.tool_call_id),
          field);
    }
    std::string text;
    json::array media;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      const ContentPart& part = message.content[j];
      if (part.kind == ContentPart::Kind::kText) {
        text += part.text;
        continue;
      }
      auto encoded = MediaPart(part, canonical::PartPath(part, path, j));
      if (!encoded) return encoded.error();
      if (!encoded->empty()) media.push_back(std::move(encoded).value());
    }
    json::array parts{json::object{
        {"functionResponse",
         json::object{{"name", name->second}, {"response", ResponseObject(message, text)}}}}};
    for (json::value& part : media) parts.push_back(std::move(part));
    Append("user", std::move(parts));
    return Status();
  }

  // functionResponse.response must be an object (§4.2).
  static json::object ResponseObject(const Message& message, const std::string& text) {
    if (message.is_error) return json::object{{"error", text}};
    if (std::optional<json::object> object = canonical::ParseObject(text)) return std::move(*object);
    return json::object{{"output", text}};
  }

  // Adds a turn, merging it into the previous one when the roles match; empty turns vanish.
  void Append(std::string_view role, json::array parts) {
    if (parts.empty()) return;
    if (!turns_.empty() && turns_.back().role == role) {
      for (json::value& part : parts) turns_.back().parts.push_back(std::move(part));
      return;
    }
    turns_.push_back(Turn{std::string(role), std::move(parts)});
  }

  const std::optional<wire::Format> dialect_;
  canonical::DroppedParams& dropped_;
  std::string system_text_;
  std::vector<Turn> turns_;
  std::map<std::string, std::string> call_names_;  // tool call id → function name, so far
};

}  // namespace

Result<EncodedContents> EncodeContents(const std::vector<Message>& messages,
                                       std::optional<wire::Format> dialect,
                                       canonical::DroppedParams& dropped) {
  return ContentsEncoder(dialect, dropped).Encode(messages);
}

}  // namespace switchyard::providers::gemini

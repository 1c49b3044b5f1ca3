#include "providers/anthropic/anthropic_message_encoder.h"

#include <algorithm>
#include <fmt/format.h>

#include "canonical/client_paths.h"
#include "canonical/json_values.h"
#include "wire/anthropic/anthropic_format.h"

namespace switchyard::providers::anthropic {
using wire::anthropic::BlockFromPart;
using wire::anthropic::IsAnthropicImageType;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::Message;
using canonical::Role;

namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// A signature Anthropic can have made. Anthropic's are base64; another provider's adapter marks
// the signatures it keeps as "origin:signature" (wire/gemini/gemini_format.h), and ':' is
// outside base64. Signatures never cross providers (wire-formats.md §6.7).
bool IsAnthropicSignature(std::string_view signature) {
  return !signature.empty() && signature.find(':') == std::string_view::npos;
}

std::uint32_t Fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
  return hash;
}

// One turn before merging: its role and blocks.
struct Turn {
  std::string role;
  json::array blocks;
};

class ConversationEncoder {
 public:
  explicit ConversationEncoder(canonical::DroppedParams& dropped) : dropped_(dropped) {}

  Result<EncodedConversation> Encode(const std::vector<Message>& messages) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      Status status = EncodeMessage(messages[i], canonical::MessagePath(messages[i], i));
      if (!status.ok()) return status.error();
    }
    EncodedConversation out;
    out.system = SystemValue();
    out.has_tool_blocks = has_tool_blocks_;
    for (Turn& turn : turns_) {
      ToolResultsFirst(turn.blocks);
      out.messages.push_back(json::object{{"role", turn.role}, {"content", std::move(turn.blocks)}});
    }
    return out;
  }

 private:
  Status EncodeMessage(const Message& message, const std::string& path) {
    if (!message.name.empty()) dropped_.Add("messages[].name");
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
      system_.push_back(BlockFromPart(part));
    }
    return Status();
  }

  // A user-visible part (text, image, document) as a block; nullopt-like empty object to skip.
  Result<json::object> UserBlock(const ContentPart& part, const std::string& path) {
    if (part.kind == ContentPart::Kind::kImageBase64 && !IsAnthropicImageType(part.media_type)) {
      return Error::InvalidRequest(
          fmt::format("{}: the anthropic wire format takes image/jpeg, image/png, image/gif or "
                      "image/webp images, not '{}'", path, part.media_type), path);
    }
    if (part.kind == ContentPart::Kind::kDocumentBase64 && part.media_type != "application/pdf") {
      return Error::InvalidRequest(
          fmt::format("{}: the anthropic wire format takes PDF documents only, not '{}'", path,
                      part.media_type), path);
    }
    if (!part.detail.empty()) dropped_.Add("messages[].content[].image_url.detail");
    if (!part.filename.empty()) dropped_.Add("messages[].content[].file.filename");
    if (part.kind == ContentPart::Kind::kText && part.text.empty()) return json::object();
    return BlockFromPart(part);
  }

  Status AddUser(const Message& message, const std::string& path) {
    json::array blocks;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      const ContentPart& part = message.content[j];
      if (part.kind == ContentPart::Kind::kThinking ||
          part.kind == ContentPart::Kind::kRedactedThinking) {
        continue;  // only assistant turns carry reasoning
      }
      auto block = UserBlock(part, canonical::PartPath(part, path, j));
      if (!block) return block.error();
      if (!block->empty()) blocks.push_back(std::move(block).value());
    }
    Append("user", std::move(blocks));
    return Status();
  }

  Status AddAssistant(const Message& message, const std::string& path) {
    json::array blocks;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      const ContentPart& part = message.content[j];
      if (part.kind == ContentPart::Kind::kThinking && !IsAnthropicSignature(part.data)) {
        // Unsigned, or signed by another provider: Anthropic would refuse it.
        dropped_.Add("messages[].content[].thinking");
        continue;
      }
      if (part.kind == ContentPart::Kind::kThinking ||
          part.kind == ContentPart::Kind::kRedactedThinking) {
        blocks.push_back(BlockFromPart(part));
        continue;
      }
      auto block = UserBlock(part, canonical::PartPath(part, path, j));
      if (!block) return block.error();
      if (!block->empty()) blocks.push_back(std::move(block).value());
    }
    for (const canonical::ToolCall& call : message.tool_calls) {
      std::optional<json::object> input = canonical::ParseArguments(call.arguments_json);
      // Arguments that are not a JSON object (a call cut off at max_tokens) are sent as {}.
      blocks.push_back(json::object{{"type", "tool_use"},
                                    {"id", SanitizeToolId(call.id)},
                                    {"name", call.name},
                                    {"input", input ? std::move(*input) : json::object()}});
      has_tool_blocks_ = true;
    }
    Append("assistant", std::move(blocks));
    return Status();
  }

  Status AddToolResult(const Message& message, const std::string& path) {
    json::array content;
    for (std::size_t j = 0; j < message.content.size(); ++j) {
      auto block = UserBlock(message.content[j], canonical::PartPath(message.content[j], path, j));
      if (!block) return block.error();
      if (!block->empty()) content.push_back(std::move(block).value());
    }
    json::object result{{"type", "tool_result"}, {"tool_use_id", SanitizeToolId(message.tool_call_id)}};
    if (content.size() == 1 && content[0].as_object().at("type") == "text" &&
        !content[0].as_object().contains("cache_control")) {
      result["content"] = content[0].as_object().at("text");
    } else if (!content.empty()) {
      result["content"] = std::move(content);
    }
    if (message.is_error) result["is_error"] = true;
    has_tool_blocks_ = true;
    Append("user", json::array{std::move(result)});
    return Status();
  }

  // Adds a turn, merging it into the previous one when the roles match; empty turns vanish.
  void Append(std::string_view role, json::array blocks) {
    if (blocks.empty()) return;
    if (!turns_.empty() && turns_.back().role == role) {
      for (json::value& block : blocks) turns_.back().blocks.push_back(std::move(block));
      return;
    }
    turns_.push_back(Turn{std::string(role), std::move(blocks)});
  }

  static void ToolResultsFirst(json::array& blocks) {
    std::stable_partition(blocks.begin(), blocks.end(), [](const json::value& block) {
      return block.as_object().at("type") == "tool_result";
    });
  }

  // A plain string when no block carries cache_control (the common case), else the blocks.
  json::value SystemValue() const {
    if (system_.empty()) return nullptr;
    const bool plain = std::none_of(system_.begin(), system_.end(), [](const json::value& b) {
      return b.as_object().contains("cache_control");
    });
    if (!plain) return system_;
    std::string text;
    for (const json::value& block : system_) {
      if (!text.empty()) text += "\n\n";
      text += block.as_object().at("text").as_string();
    }
    return json::value(text);
  }

  canonical::DroppedParams& dropped_;
  json::array system_;
  std::vector<Turn> turns_;
  bool has_tool_blocks_ = false;
};

}  // namespace

Result<EncodedConversation> EncodeConversation(const std::vector<Message>& messages,
                                               canonical::DroppedParams& dropped) {
  return ConversationEncoder(dropped).Encode(messages);
}

std::string SanitizeToolId(std::string_view id) {
  if (!id.empty() && std::all_of(id.begin(), id.end(), IsIdChar)) return std::string(id);
  std::string out;
  out.reserve(id.size() + 9);
  for (char c : id) out += IsIdChar(c) ? c : '_';
  return fmt::format("{}_{:08x}", out.empty() ? "id" : out, Fnv1a(id));
}

}  // namespace switchyard::providers::anthropic

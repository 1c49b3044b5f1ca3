#include "providers/openai_compat/openai_message_encoder.h"

#include <algorithm>

#include "wire/openai/openai_format.h"

namespace switchyard::providers::openai_compat {
using wire::openai::JoinText;
using wire::openai::PartToOpenAI;
using wire::openai::ToolCallsToOpenAI;
namespace json = boost::json;
using canonical::ContentPart;
using canonical::Message;
using canonical::Role;

namespace {

bool IsReasoning(const ContentPart& part) {
  return part.kind == ContentPart::Kind::kThinking ||
         part.kind == ContentPart::Kind::kRedactedThinking;
}

class MessageEncoder {
 public:
  explicit MessageEncoder(canonical::DroppedParams& dropped) : dropped_(dropped) {}

  json::array Encode(const std::vector<Message>& messages) {
    for (const Message& message : messages) {
      if (message.role != Role::kTool && message.role != Role::kUser) FlushToolImages();
      NoteDropped(message);
      switch (message.role) {
        case Role::kSystem: AddSystem(message); break;
        case Role::kUser: AddUser(message); break;
        case Role::kAssistant: AddAssistant(message); break;
        case Role::kTool: AddTool(message); break;
      }
    }
    FlushToolImages();
    return std::move(out_);
  }

 private:
  void NoteDropped(const Message& message) {
    for (const ContentPart& part : message.content) {
      if (!part.cache_control.is_null()) dropped_.Add("cache_control");
      if (IsReasoning(part)) dropped_.Add("messages[].content[].thinking");
    }
    if (message.is_error) dropped_.Add("messages[].content[].is_error");
  }

  json::object Base(std::string_view role, const Message& message) const {
    json::object out{{"role", role}};
    if (!message.name.empty()) out["name"] = message.name;
    return out;
  }

  void AddSystem(const Message& message) {
    std::string text;
    for (const ContentPart& part : message.content) {
      if (part.kind != ContentPart::Kind::kText || part.text.empty()) continue;
      if (!text.empty()) text += "\n\n";
      text += part.text;
    }
    json::object out = Base("system", message);
    out["content"] = std::move(text);
    out_.push_back(std::move(out));
  }

  // A plain string when the content is text only (what every compatible host takes), else parts.
  static json::value UserContent(const std::vector<ContentPart>& parts) {
    const bool text_only = std::all_of(parts.begin(), parts.end(), [](const ContentPart& part) {
      return part.kind == ContentPart::Kind::kText || IsReasoning(part);
    });
    if (text_only) return json::value(JoinText(parts));
    json::array out;
    for (const ContentPart& part : parts) {
      if (!IsReasoning(part)) out.push_back(PartToOpenAI(part));
    }
    return out;
  }

  // A user turn right after tool results also carries the images those results held.
  void AddUser(const Message& message) {
    json::object out = Base("user", message);
    if (tool_images_.empty()) {
      out["content"] = UserContent(message.content);
    } else {
      std::vector<ContentPart> parts = std::move(tool_images_);
      tool_images_.clear();
      parts.insert(parts.end(), message.content.begin(), message.content.end());
      out["content"] = UserContent(parts);
    }
    out_.push_back(std::move(out));
  }

  void AddAssistant(const Message& message) {
    json::object out = Base("assistant", message);
    const std::string text = JoinText(message.content);
    out["content"] = text.empty() && !message.tool_calls.empty() ? json::value(nullptr)
                                                                 : json::value(text);
    if (!message.tool_calls.empty()) out["tool_calls"] = ToolCallsToOpenAI(message.tool_calls);
    out_.push_back(std::move(out));
  }

  void AddTool(const Message& message) {
    std::vector<ContentPart> text;
    for (const ContentPart& part : message.content) {
      if (part.kind != ContentPart::Kind::kText && !IsReasoning(part)) {
        tool_images_.push_back(part);  // images and documents
      } else if (part.kind == ContentPart::Kind::kText) {
        text.push_back(part);
      }
    }
    out_.push_back(json::object{{"role", "tool"},
                                {"tool_call_id", message.tool_call_id},
                                {"content", JoinText(text)}});
  }

  // Images (and documents) that came inside tool results, as one user message after the tool messages.
  void FlushToolImages() {
    if (tool_images_.empty()) return;
    json::array parts;
    for (const ContentPart& part : tool_images_) parts.push_back(PartToOpenAI(part));
    out_.push_back(json::object{{"role", "user"}, {"content", std::move(parts)}});
    tool_images_.clear();
  }

  canonical::DroppedParams& dropped_;
  json::array out_;
  std::vector<ContentPart> tool_images_;
};

}  // namespace

json::array EncodeOpenAIMessages(const std::vector<Message>& messages,
                                 canonical::DroppedParams& dropped) {
  return MessageEncoder(dropped).Encode(messages);
}

}  // namespace switchyard::providers::openai_compat

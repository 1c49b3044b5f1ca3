#include "guardrails/message_texts.h"

namespace switchyard::guardrails {

void AppendTexts(canonical::Message& message, std::vector<GuardedText>& out) {
  for (canonical::ContentPart& part : message.content) {
    if (part.kind == canonical::ContentPart::Kind::kText) out.push_back({&part.text, false});
  }
  for (canonical::ToolCall& call : message.tool_calls) out.push_back({&call.arguments_json, true});
}

std::vector<GuardedText> TextsOf(canonical::ChatRequest& request) {
  std::vector<GuardedText> texts;
  for (canonical::Message& message : request.messages) AppendTexts(message, texts);
  return texts;
}

std::vector<TextSpan> KeepInJsonStrings(std::string_view json, const std::vector<TextSpan>& spans) {
  std::vector<TextSpan> kept;
  bool in_string = false;
  bool escaped = false;
  std::size_t position = 0;
  auto advance_to = [&](std::size_t end) {
    for (; position < end; ++position) {
      const char c = json[position];
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = in_string;
      } else if (c == '"') {
        in_string = !in_string;
      }
    }
  };
  for (const TextSpan& span : spans) {
    if (span.begin < position || span.end > json.size()) continue;
    advance_to(span.begin);
    const bool starts_inside = in_string && !escaped;
    const std::string_view text = json.substr(span.begin, span.end - span.begin);
    if (starts_inside && text.find_first_of("\"\\") == std::string_view::npos) {
      kept.push_back(span);
    }
  }
  return kept;
}

}  // namespace switchyard::guardrails

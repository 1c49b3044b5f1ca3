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

JsonCursor Advance(JsonCursor cursor, std::string_view json) {
  for (char c : json) {
    if (cursor.escaped) {
      cursor.escaped = false;
    } else if (c == '\\') {
      cursor.escaped = cursor.in_string;
    } else if (c == '"') {
      cursor.in_string = !cursor.in_string;
    }
  }
  return cursor;
}

std::vector<TextSpan> KeepInJsonStrings(std::string_view json, const std::vector<TextSpan>& spans,
                                        JsonCursor start) {
  std::vector<TextSpan> kept;
  JsonCursor cursor = start;
  std::size_t position = 0;
  for (const TextSpan& span : spans) {
    if (span.begin < position || span.end > json.size()) continue;
    cursor = Advance(cursor, json.substr(position, span.begin - position));
    position = span.begin;
    const bool starts_inside = cursor.in_string && !cursor.escaped;
    const std::string_view text = json.substr(span.begin, span.end - span.begin);
    if (starts_inside && text.find_first_of("\"\\") == std::string_view::npos) {
      kept.push_back(span);
    }
  }
  return kept;
}

}  // namespace switchyard::guardrails

#include "experiments/judging/judged_text.h"

#include <boost/json/parse.hpp>

#include "experiments/judging/judge_text.h"

namespace switchyard::experiments {
namespace {

constexpr std::string_view kCut = "[…]";

// The largest length <= `at` that does not end inside a UTF-8 sequence.
std::size_t Utf8Boundary(std::string_view text, std::size_t at) {
  if (at >= text.size()) return text.size();
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

std::string KeepHead(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  text.resize(Utf8Boundary(text, max_bytes > kCut.size() ? max_bytes - kCut.size() : 0));
  return text.append(kCut);
}

std::string KeepTail(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  const std::size_t keep = max_bytes > kCut.size() ? max_bytes - kCut.size() : 0;
  std::size_t from = text.size() - keep;
  while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
  return std::string(kCut) + text.substr(from);
}

std::string_view RoleName(canonical::Role role) {
  switch (role) {
    case canonical::Role::kSystem:
      return "system";
    case canonical::Role::kUser:
      return "user";
    case canonical::Role::kAssistant:
      return "assistant";
    case canonical::Role::kTool:
      return "tool";
  }
  return "user";
}

void AppendText(const canonical::Message& message, std::string& out) {
  for (const canonical::ContentPart& part : message.content) {
    if (part.kind != canonical::ContentPart::Kind::kText || part.text.empty()) continue;
    if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += '\n';
    out += part.text;
  }
  for (const canonical::ToolCall& call : message.tool_calls) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out.append("[tool call] ")
        .append(call.name)
        .append("(")
        .append(call.arguments_json)
        .append(")");
  }
}

}  // namespace

std::string RequestTranscript(const canonical::ChatRequest& request, std::size_t max_bytes) {
  std::string out;
  if (!request.tools.empty()) {
    out += "(tools offered:";
    for (const canonical::ToolDefinition& tool : request.tools) out.append(" ").append(tool.name);
    out += ")\n";
  }
  for (const canonical::Message& message : request.messages) {
    std::string text;
    AppendText(message, text);
    if (text.empty()) continue;
    out.append(RoleName(message.role)).append(": ").append(text).append("\n");
  }
  return KeepTail(out, max_bytes);
}

std::string AnswerTranscript(const canonical::ChatResponse& answer, std::size_t max_bytes) {
  std::string out;
  AppendText(answer.message, out);
  return KeepHead(std::move(out), max_bytes);
}

std::string VerdictReason(std::string_view answer, std::size_t max_bytes) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(JsonObjectIn(answer), error);
  const boost::json::object* object = error ? nullptr : parsed.if_object();
  const boost::json::value* reason = object ? object->if_contains("reason") : nullptr;
  if (reason == nullptr || !reason->is_string()) return {};
  return KeepHead(std::string(reason->as_string()), max_bytes);
}

}  // namespace switchyard::experiments

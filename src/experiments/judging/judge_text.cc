#include "experiments/judging/judge_text.h"

namespace switchyard::experiments {

canonical::Message JudgeMessage(canonical::Role role, std::string text) {
  canonical::Message message;
  message.role = role;
  canonical::ContentPart part;
  part.text = std::move(text);
  message.content.push_back(std::move(part));
  return message;
}

std::string Fenced(std::string_view tag, std::string_view text) {
  const std::string close = "</" + std::string(tag) + ">";
  std::string out = "<" + std::string(tag) + ">\n";
  std::size_t at = 0;
  for (std::size_t found = text.find(close); found != std::string_view::npos;
       found = text.find(close, at)) {
    out.append(text.substr(at, found - at)).append("<\\/").append(tag).append(">");
    at = found + close.size();
  }
  return out.append(text.substr(at)).append("\n").append(close);
}

std::string WithRubric(std::string_view prompt, std::string_view rubric) {
  std::string out(prompt);
  const std::size_t at = out.find("{rubric}");
  if (at == std::string::npos) return out;
  return out.replace(at, 8, rubric.empty() ? std::string() : std::string(rubric) + " ");
}

std::string_view JsonObjectIn(std::string_view text) {
  const std::size_t open = text.find('{');
  const std::size_t close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return text.substr(open, close - open + 1);
}

}  // namespace switchyard::experiments

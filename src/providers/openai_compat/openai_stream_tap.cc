#include "providers/openai_compat/openai_stream_tap.h"

#include <algorithm>
#include <array>

#include "core/strings.h"
#include "json/object_scan.h"
#include "providers/openai_compat/openai_error_parser.h"
#include "providers/openai_compat/openai_usage.h"

namespace switchyard::providers::openai_compat {
namespace {

std::size_t SkipSpace(std::string_view text, std::size_t i) {
  while (i < text.size() && IsAsciiWhitespace(text[i])) ++i;
  return i;
}

// The length of the raw string value that starts at `quote` (its opening '"'); 0 if none.
std::size_t StringValueBytes(std::string_view text, std::size_t quote) {
  if (quote >= text.size() || text[quote] != '"') return 0;
  std::size_t end = quote + 1;
  while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
  return std::min(end, text.size()) - (quote + 1);
}

// The bytes of text a chunk's choices carry: text, a refusal, reasoning or tool-call arguments. The
// role-only opening chunk ({"role":"assistant","content":""}) carries none, so time to first token is
// measured to the first real token. A search for the quoted keys over the raw choices suffices:
// inside a string value a quote is escaped, so `"content"` there cannot match.
std::size_t TextBytes(std::string_view choices) {
  static constexpr std::array<std::string_view, 5> kTextKeys = {
      "\"content\"", "\"refusal\"", "\"reasoning\"", "\"reasoning_content\"", "\"arguments\""};
  std::size_t bytes = 0;
  for (std::string_view key : kTextKeys) {
    for (std::size_t at = choices.find(key); at != std::string_view::npos;
         at = choices.find(key, at + 1)) {
      std::size_t i = SkipSpace(choices, at + key.size());
      if (i >= choices.size() || choices[i] != ':') continue;
      bytes += StringValueBytes(choices, SkipSpace(choices, i + 1));
    }
  }
  return bytes;
}

}  // namespace

StreamTap::Verdict OpenAIStreamTap::OnData(std::string_view raw) {
  const std::string_view data = TrimWhitespace(raw);
  if (data == "[DONE]") {
    saw_end_ = true;
    return Verdict::kForward;
  }
  // One pass over the chunk's top level (cheap: no DOM); only a usage object is parsed further.
  auto scan = json::ScanObject(data);
  if (!scan) return Verdict::kForward;  // not ours to judge: the client sees it as sent
  if (const json::Member* error = json::FindMember(*scan, "error");
      error != nullptr && error->type != json::ValueType::kNull) {
    stream_error_ = ParseOpenAIError(200, data).message;
    return Verdict::kForward;
  }
  const canonical::Usage usage = TopLevelUsage(data, *scan);
  if (usage.reported) usage_ = usage;
  const json::Member* choices = json::FindMember(*scan, "choices");
  const std::string_view choices_text =
      choices != nullptr ? json::ValueText(data, *choices) : std::string_view{};
  const std::size_t text_bytes = TextBytes(choices_text);
  content_bytes_ += text_bytes;
  if (text_bytes > 0 || choices_text.find("\"tool_calls\"") != std::string_view::npos) {
    saw_content_ = true;
  }
  const bool usage_only =
      usage.reported && choices != nullptr && TrimWhitespace(choices_text.substr(1)) == "]";
  return usage_only && hide_usage_chunk_ ? Verdict::kHide : Verdict::kForward;
}

canonical::Usage OpenAIStreamTap::EstimatedUsage(std::size_t request_bytes) const {
  canonical::Usage estimate;
  estimate.input_tokens = static_cast<std::int64_t>((request_bytes + 3) / 4);
  estimate.output_tokens = static_cast<std::int64_t>((content_bytes_ + 3) / 4);
  return estimate;
}

}  // namespace switchyard::providers::openai_compat

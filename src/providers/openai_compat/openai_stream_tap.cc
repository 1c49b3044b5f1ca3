#include "providers/openai_compat/openai_stream_tap.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/strings.h"
#include "json/object_skim.h"
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

// Whether a choice in the raw choices has a finish_reason that is not null (a string).
bool HasFinishReason(std::string_view choices) {
  static constexpr std::string_view kKey = "\"finish_reason\"";
  for (std::size_t at = choices.find(kKey); at != std::string_view::npos;
       at = choices.find(kKey, at + 1)) {
    std::size_t i = SkipSpace(choices, at + kKey.size());
    if (i >= choices.size() || choices[i] != ':') continue;
    i = SkipSpace(choices, i + 1);
    if (i < choices.size() && choices[i] == '"') return true;
  }
  return false;
}

}  // namespace

StreamTap::Verdict OpenAIStreamTap::OnData(std::string_view raw) {
  const std::string_view data = TrimWhitespace(raw);
  if (data == "[DONE]") {
    saw_end_ = true;
    return Verdict::kForward;
  }
  // One skim over the chunk's top level (no validation, no DOM: the client parses the chunk);
  // only a usage object is read further.
  std::optional<std::string_view> error, usage_text, choices;
  json::ObjectSkim skim(data);
  while (auto member = skim.Next()) {
    if (member->raw_key == "error") error = member->value;
    if (member->raw_key == "usage") usage_text = member->value;
    if (member->raw_key == "choices") choices = member->value;
  }
  if (error && *error != "null") {
    stream_error_ = ParseOpenAIError(200, data).message;
    return Verdict::kForward;
  }
  const canonical::Usage usage = usage_text ? UsageFromText(*usage_text) : canonical::Usage{};
  if (usage.reported) usage_ = usage;
  const std::string_view choices_text = choices.value_or(std::string_view{});
  const std::size_t text_bytes = TextBytes(choices_text);
  content_bytes_ += text_bytes;
  if (text_bytes > 0 || choices_text.find("\"tool_calls\"") != std::string_view::npos) {
    saw_content_ = true;
  }
  // Searched only in chunks without text (the finishing chunk has an empty delta): a search in
  // every content chunk cost 460 instructions each. A stream whose finish reason rides on its last
  // content chunk and that then closes without [DONE] is taken for one cut short.
  if (!saw_finish_ && text_bytes == 0) saw_finish_ = HasFinishReason(choices_text);
  // Hidden only when the chunk is shaped like a whole object: never hide what might not be usage.
  const bool usage_only = usage.reported && skim.ended_whole() && choices_text.starts_with('[') &&
                          TrimWhitespace(choices_text.substr(1)) == "]";
  return usage_only && hide_usage_chunk_ ? Verdict::kHide : Verdict::kForward;
}

canonical::Usage OpenAIStreamTap::EstimatedUsage(std::size_t request_bytes) const {
  canonical::Usage estimate;
  estimate.input_tokens = static_cast<std::int64_t>((request_bytes + 3) / 4);
  estimate.output_tokens = static_cast<std::int64_t>((content_bytes_ + 3) / 4);
  return estimate;
}

}  // namespace switchyard::providers::openai_compat

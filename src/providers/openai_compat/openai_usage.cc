#include "providers/openai_compat/openai_usage.h"

#include <algorithm>
#include <boost/json/object.hpp>

namespace switchyard::providers::openai_compat {
namespace json = boost::json;

std::int64_t IntField(const json::value& object, std::string_view key) {
  const json::object* obj = object.if_object();
  if (obj == nullptr) return 0;
  const json::value* v = obj->if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return 0;
}

canonical::Usage UsageFromJson(const json::value& usage) {
  canonical::Usage out;
  const json::object* obj = usage.if_object();
  if (obj == nullptr) return out;
  out.reported = true;
  const std::int64_t prompt = IntField(usage, "prompt_tokens");
  const json::value* prompt_details = obj->if_contains("prompt_tokens_details");
  const json::value* completion_details = obj->if_contains("completion_tokens_details");
  const json::value none;
  const std::int64_t cached = IntField(prompt_details ? *prompt_details : none, "cached_tokens");
  const std::int64_t writes =
      IntField(prompt_details ? *prompt_details : none, "cache_write_tokens");
  out.cached_input_tokens = cached;
  out.cache_write_tokens = writes;
  out.input_tokens = std::max<std::int64_t>(0, prompt - cached - writes);
  out.output_tokens = IntField(usage, "completion_tokens");
  out.reasoning_tokens =
      IntField(completion_details ? *completion_details : none, "reasoning_tokens");
  return out;
}

namespace {

// The end of the JSON object that starts at `begin` ('{'), or npos; strings are skipped so that braces
// inside them do not count.
std::size_t MatchObjectEnd(std::string_view text, std::size_t begin) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = begin; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{') ++depth;
    else if (c == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

std::size_t SkipSpace(std::string_view text, std::size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' ||
                             text[i] == '\t')) {
    ++i;
  }
  return i;
}

}  // namespace

std::optional<std::string_view> FindUsageObject(std::string_view body) {
  static constexpr std::string_view kKey = "\"usage\"";
  std::size_t pos = body.rfind(kKey);
  while (pos != std::string_view::npos) {
    std::size_t i = SkipSpace(body, pos + kKey.size());
    if (i < body.size() && body[i] == ':') {
      i = SkipSpace(body, i + 1);
      if (i < body.size() && body[i] == '{') {
        const std::size_t end = MatchObjectEnd(body, i);
        if (end != std::string_view::npos) return body.substr(i, end - i);
      }
      return std::nullopt;  // "usage": null
    }
    if (pos == 0) break;
    pos = body.rfind(kKey, pos - 1);
  }
  return std::nullopt;
}

}  // namespace switchyard::providers::openai_compat

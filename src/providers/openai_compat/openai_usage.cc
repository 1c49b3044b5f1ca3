#include "providers/openai_compat/openai_usage.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>

#include "json/object_skim.h"

namespace switchyard::providers::openai_compat {
namespace {

// More tokens than any call could use; keeps every sum of token counts far from int64 overflow.
constexpr std::int64_t kMaxTokens = std::int64_t{1} << 40;

// Token counts are never negative, and a provider's absurd value must not overflow our sums:
// clamp into [0, kMaxTokens].
std::int64_t ClampTokens(std::int64_t n) { return std::clamp<std::int64_t>(n, 0, kMaxTokens); }
std::int64_t ClampTokens(double d) {
  if (!(d > 0)) return 0;  // also NaN
  return d >= static_cast<double>(kMaxTokens) ? kMaxTokens : static_cast<std::int64_t>(d);
}

// The counts as OpenAI reports them, before they become disjoint canonical classes.
struct ReportedCounts {
  std::int64_t prompt = 0, cached = 0, cache_writes = 0, completion = 0, reasoning = 0;
};

canonical::Usage ToCanonical(const ReportedCounts& counts) {
  canonical::Usage out;
  out.reported = true;
  out.cached_input_tokens = counts.cached;
  out.cache_write_tokens = counts.cache_writes;
  out.input_tokens = std::max<std::int64_t>(0, counts.prompt - counts.cached - counts.cache_writes);
  out.output_tokens = counts.completion;
  out.reasoning_tokens = counts.reasoning;
  return out;
}

// A JSON number's text as a token count; 0 for anything else (null, a string, an object).
std::int64_t CountFromText(std::string_view text) {
  const char* end = text.data() + text.size();
  std::int64_t integer = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, integer);
      ec == std::errc() && ptr == end) {
    return ClampTokens(integer);
  }
  double real = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, real); ec == std::errc() && ptr == end) {
    return ClampTokens(real);
  }
  if (!text.empty() && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
    return text[0] == '-' ? 0 : kMaxTokens;  // out of range both ways
  }
  return 0;
}

// Calls on_member(name, value) for each member of `text`; false when `text` is not shaped like a
// whole object or on_member says so.
template <class OnMember>
bool SkimObject(std::string_view text, OnMember on_member) {
  if (text.empty() || text.front() != '{') return false;
  json::ObjectSkim skim(text);
  while (auto member = skim.Next()) {
    if (!on_member(member->raw_key, member->value)) return false;
  }
  return skim.ended_whole();
}

// Reads the wanted counts of a details object. Anything but an object is no details (true); a
// malformed object is false.
bool ReadDetails(std::string_view text,
                 std::initializer_list<std::pair<std::string_view, std::int64_t*>> wanted) {
  if (text.front() != '{') return true;
  return SkimObject(text, [&](std::string_view name, std::string_view value) {
    for (const auto& [key, out] : wanted) {
      if (name == key) *out = CountFromText(value);
    }
    return true;
  });
}

}  // namespace

std::int64_t IntField(const boost::json::value& object, std::string_view key) {
  const boost::json::object* obj = object.if_object();
  if (obj == nullptr) return 0;
  const boost::json::value* v = obj->if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return ClampTokens(v->get_int64());
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), kMaxTokens));
  }
  if (v->is_double()) return ClampTokens(v->get_double());
  return 0;
}

canonical::Usage UsageFromJson(const boost::json::value& usage) {
  const boost::json::object* obj = usage.if_object();
  if (obj == nullptr) return {};
  const boost::json::value* prompt_details = obj->if_contains("prompt_tokens_details");
  const boost::json::value* completion_details = obj->if_contains("completion_tokens_details");
  const boost::json::value none;
  ReportedCounts counts;
  counts.prompt = IntField(usage, "prompt_tokens");
  counts.cached = IntField(prompt_details ? *prompt_details : none, "cached_tokens");
  counts.cache_writes = IntField(prompt_details ? *prompt_details : none, "cache_write_tokens");
  counts.completion = IntField(usage, "completion_tokens");
  counts.reasoning =
      IntField(completion_details ? *completion_details : none, "reasoning_tokens");
  return ToCanonical(counts);
}

// Skimmed, not parsed (json/object_skim.h): every answer and every stream's usage chunk comes
// through here, and a DOM parse of the usage object was 5% of a pass-through call's instructions.
// A usage object that is not shaped like a whole object (nor its details) counts as not reported.
canonical::Usage UsageFromText(std::string_view usage_json) {
  ReportedCounts counts;
  const bool whole = SkimObject(usage_json, [&](std::string_view name, std::string_view value) {
    if (name == "prompt_tokens") counts.prompt = CountFromText(value);
    if (name == "completion_tokens") counts.completion = CountFromText(value);
    if (name == "prompt_tokens_details") {
      return ReadDetails(value, {{"cached_tokens", &counts.cached},
                                 {"cache_write_tokens", &counts.cache_writes}});
    }
    if (name == "completion_tokens_details") {
      return ReadDetails(value, {{"reasoning_tokens", &counts.reasoning}});
    }
    return true;
  });
  return whole ? ToCanonical(counts) : canonical::Usage{};
}

canonical::Usage TopLevelUsage(std::string_view body) {
  const std::optional<std::string_view> usage = json::FindTopLevelValue(body, "usage");
  return usage ? UsageFromText(*usage) : canonical::Usage{};
}

}  // namespace switchyard::providers::openai_compat

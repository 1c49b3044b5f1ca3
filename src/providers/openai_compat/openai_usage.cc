#include "providers/openai_compat/openai_usage.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>

#include "json/object_skim.h"

namespace switchyard::providers::openai_compat {
namespace {

using canonical::kMaxPlausibleTokens;

// The counts as OpenAI reports them, before they become disjoint canonical classes, and the first
// reason found why they cannot be right.
struct ReportedCounts {
  std::int64_t prompt = 0, cached = 0, cache_writes = 0, completion = 0, reasoning = 0;
  const char* implausible = nullptr;

  void Suspect(const char* why) {
    if (implausible == nullptr) implausible = why;
  }
  // Token counts are never negative, never fractional and never absurdly large; a provider's
  // value that is must not be billed, nor overflow our sums: clamped into [0, 2^31], and noted.
  std::int64_t Clamp(std::int64_t n) {
    if (n < 0) Suspect("a negative token count");
    if (n > kMaxPlausibleTokens) Suspect("a token count above 2^31");
    return std::clamp<std::int64_t>(n, 0, kMaxPlausibleTokens);
  }
  std::int64_t Clamp(double d) {
    if (!(d >= 0)) {  // also NaN
      Suspect("a negative token count");
      return 0;
    }
    if (d > static_cast<double>(kMaxPlausibleTokens)) return Clamp(kMaxPlausibleTokens + 1);
    const auto n = static_cast<std::int64_t>(d);
    if (static_cast<double>(n) != d) Suspect("a fractional token count");
    return n;
  }
};

canonical::Usage ToCanonical(ReportedCounts counts) {
  if (counts.cached + counts.cache_writes > counts.prompt) {
    counts.Suspect("cached tokens above the prompt tokens");
  }
  if (counts.reasoning > counts.completion) counts.Suspect("reasoning tokens above the output tokens");
  canonical::Usage out;
  out.reported = true;
  out.implausible = counts.implausible;
  out.cached_input_tokens = counts.cached;
  out.cache_write_tokens = counts.cache_writes;
  out.input_tokens = std::max<std::int64_t>(0, counts.prompt - counts.cached - counts.cache_writes);
  out.output_tokens = counts.completion;
  out.reasoning_tokens = counts.reasoning;
  return out;
}

// A JSON number's text as a token count; 0 for anything else (null, a string, an object).
std::int64_t CountFromText(std::string_view text, ReportedCounts& counts) {
  const char* end = text.data() + text.size();
  std::int64_t integer = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, integer);
      ec == std::errc() && ptr == end) {
    return counts.Clamp(integer);
  }
  double real = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, real); ec == std::errc() && ptr == end) {
    return counts.Clamp(real);
  }
  if (!text.empty() && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
    // out of range both ways
    return text[0] == '-' ? counts.Clamp(-1.0) : counts.Clamp(kMaxPlausibleTokens + 1);
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
bool ReadDetails(std::string_view text, ReportedCounts& counts,
                 std::initializer_list<std::pair<std::string_view, std::int64_t*>> wanted) {
  if (text.front() != '{') return true;
  return SkimObject(text, [&](std::string_view name, std::string_view value) {
    for (const auto& [key, out] : wanted) {
      if (name == key) *out = CountFromText(value, counts);
    }
    return true;
  });
}

}  // namespace

namespace {

// A token count member of `object` (clamped, noted in `counts` when implausible); 0 when absent,
// null or not a number.
std::int64_t IntField(const boost::json::value& object, std::string_view key,
                      ReportedCounts& counts) {
  const boost::json::object* obj = object.if_object();
  if (obj == nullptr) return 0;
  const boost::json::value* v = obj->if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return counts.Clamp(v->get_int64());
  if (v->is_uint64()) return counts.Clamp(kMaxPlausibleTokens + 1);  // above int64's range
  if (v->is_double()) return counts.Clamp(v->get_double());
  return 0;
}

}  // namespace

std::int64_t IntField(const boost::json::value& object, std::string_view key) {
  ReportedCounts counts;
  return IntField(object, key, counts);
}

canonical::Usage UsageFromJson(const boost::json::value& usage) {
  const boost::json::object* obj = usage.if_object();
  if (obj == nullptr) return {};
  const boost::json::value* prompt_details = obj->if_contains("prompt_tokens_details");
  const boost::json::value* completion_details = obj->if_contains("completion_tokens_details");
  const boost::json::value none;
  ReportedCounts counts;
  counts.prompt = IntField(usage, "prompt_tokens", counts);
  counts.cached = IntField(prompt_details ? *prompt_details : none, "cached_tokens", counts);
  counts.cache_writes =
      IntField(prompt_details ? *prompt_details : none, "cache_write_tokens", counts);
  counts.completion = IntField(usage, "completion_tokens", counts);
  counts.reasoning =
      IntField(completion_details ? *completion_details : none, "reasoning_tokens", counts);
  return ToCanonical(counts);
}

// Skimmed, not parsed (json/object_skim.h): every answer and every stream's usage chunk comes
// through here, and a DOM parse of the usage object was 5% of a pass-through call's instructions.
// A usage object that is not shaped like a whole object (nor its details) counts as not reported.
canonical::Usage UsageFromText(std::string_view usage_json) {
  ReportedCounts counts;
  const bool whole = SkimObject(usage_json, [&](std::string_view name, std::string_view value) {
    if (name == "prompt_tokens") counts.prompt = CountFromText(value, counts);
    if (name == "completion_tokens") counts.completion = CountFromText(value, counts);
    if (name == "prompt_tokens_details") {
      return ReadDetails(value, counts, {{"cached_tokens", &counts.cached},
                                 {"cache_write_tokens", &counts.cache_writes}});
    }
    if (name == "completion_tokens_details") {
      return ReadDetails(value, counts, {{"reasoning_tokens", &counts.reasoning}});
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

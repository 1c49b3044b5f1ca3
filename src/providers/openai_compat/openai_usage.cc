#include "providers/openai_compat/openai_usage.h"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

namespace switchyard::providers::openai_compat {
namespace {
// More tokens than any call could use; keeps every sum of token counts far from int64 overflow.
constexpr std::int64_t kMaxTokens = std::int64_t{1} << 40;
}  // namespace

std::int64_t IntField(const boost::json::value& object, std::string_view key) {
  const boost::json::object* obj = object.if_object();
  if (obj == nullptr) return 0;
  const boost::json::value* v = obj->if_contains(key);
  if (v == nullptr) return 0;
  // Token counts are never negative, and a provider's absurd value must not overflow our sums:
  // clamp into [0, kMaxTokens].
  if (v->is_int64()) return std::clamp<std::int64_t>(v->get_int64(), 0, kMaxTokens);
  if (v->is_uint64())
    return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), kMaxTokens));
  if (v->is_double()) {
    const double d = v->get_double();
    if (!(d > 0)) return 0;  // also NaN
    return d >= static_cast<double>(kMaxTokens) ? kMaxTokens : static_cast<std::int64_t>(d);
  }
  return 0;
}

canonical::Usage UsageFromJson(const boost::json::value& usage) {
  canonical::Usage out;
  const boost::json::object* obj = usage.if_object();
  if (obj == nullptr) return out;
  out.reported = true;
  const std::int64_t prompt = IntField(usage, "prompt_tokens");
  const boost::json::value* prompt_details = obj->if_contains("prompt_tokens_details");
  const boost::json::value* completion_details = obj->if_contains("completion_tokens_details");
  const boost::json::value none;
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

canonical::Usage TopLevelUsage(std::string_view body, const json::ObjectScan& scan) {
  const json::Member* usage = json::FindMember(scan, "usage");
  if (usage == nullptr || usage->type != json::ValueType::kObject) return {};
  // Every non-streamed answer comes through here: parse into a stack buffer, not the heap (a usage
  // object is a few hundred bytes; a larger one spills over into the heap as usual).
  unsigned char buffer[2048];
  boost::json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  const boost::json::value parsed =
      boost::json::parse(json::ValueText(body, *usage), ec, &resource);
  return ec ? canonical::Usage{} : UsageFromJson(parsed);
}

}  // namespace switchyard::providers::openai_compat

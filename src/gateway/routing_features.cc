#include "gateway/routing_features.h"

#include <charconv>

namespace switchyard::gateway {
namespace {

std::string_view MemberText(const FeatureSource& source, std::string_view name) {
  const json::Member* member = json::FindMember(*source.scan, name);
  return member == nullptr ? std::string_view{} : json::ValueText(source.body, *member);
}

std::optional<std::int64_t> IntMember(const FeatureSource& source, std::string_view name) {
  const std::string_view text = MemberText(source, name);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A non-empty JSON array: "[" followed by something other than "]".
bool NonEmptyArray(std::string_view text) {
  if (text.size() < 2 || text.front() != '[') return false;
  return text.find_first_not_of(" \t\r\n", 1) != text.find(']', 1);
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

routing::RequestFeatures ReadRoutingFeatures(const FeatureSource& source) {
  routing::RequestFeatures features;
  features.model = std::string(source.model);
  features.stream = source.stream;
  features.metadata = routing::MetadataFromJson(source.metadata_json);
  // The same four-bytes-per-token estimate the ledger uses for prompts it never saw counted.
  features.input_tokens = static_cast<std::int64_t>((source.body.size() + 3) / 4);
  features.has_tools = NonEmptyArray(MemberText(source, "tools"));
  // Image parts are found by their type tag in the raw messages: a byte search, no decode. Text
  // that happens to quote the tag makes a request look like it has an image — the only cost is
  // that a text-only target is not preferred for it.
  const std::string_view messages = MemberText(source, "messages");
  if (source.dialect == canonical::Dialect::kAnthropic) {
    features.inbound = "anthropic";
    features.max_tokens = IntMember(source, "max_tokens");
    features.has_images =
        Contains(messages, R"("type":"image")") || Contains(messages, R"("type": "image")");
    features.wants_json_schema = Contains(MemberText(source, "output_format"), "json_schema") ||
                                 Contains(MemberText(source, "output_config"), "json_schema");
  } else {
    features.inbound = "openai";
    features.max_tokens = IntMember(source, "max_completion_tokens");
    if (!features.max_tokens) features.max_tokens = IntMember(source, "max_tokens");
    features.has_images = Contains(messages, R"("image_url")");
    features.wants_json_schema = Contains(MemberText(source, "response_format"), "json_schema");
  }
  return features;
}

}  // namespace switchyard::gateway

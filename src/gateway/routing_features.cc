#include "gateway/routing_features.h"

#include <charconv>

#include "core/strings.h"

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

// Inline binary parts (images, audio, documents) sent as base64 text. Their bytes say nothing about
// their tokens: a 100 KB image is about 25,000 "tokens" at four bytes each but costs a provider
// at most a couple of thousand. So each counts as kTokensPerBinaryPart instead of its bytes.
constexpr std::int64_t kTokensPerBinaryPart = 1600;  // Anthropic's largest image; OpenAI's are less

struct BinaryParts {
  std::size_t bytes = 0;  // base64 payload bytes, left out of the byte-based estimate
  std::int64_t count = 0;
};

// The length of the JSON string contents starting at `from` (up to the closing quote; base64 has no
// escapes but "\/", which never ends a string).
std::size_t StringContentLength(std::string_view text, std::size_t from) {
  const std::size_t end = text.find('"', from);
  return (end == std::string_view::npos ? text.size() : end) - from;
}

// Finds the base64 payloads in the raw messages array, without decoding it: data URIs
// ("data:image/png;base64,...", OpenAI image_url and file parts) and "data" members (Anthropic's
// {"type":"base64","data":...} sources, OpenAI's input_audio). Inside a JSON string every quote is
// escaped, so `"data"` followed by a colon is always a member name.
BinaryParts FindBinaryParts(std::string_view messages) {
  constexpr std::size_t kMinPayload = 64;  // shorter ones are noise either way
  BinaryParts parts;
  auto add = [&](std::size_t begin) {
    const std::size_t length = StringContentLength(messages, begin);
    if (length >= kMinPayload) {
      parts.bytes += length;
      ++parts.count;
    }
    return begin + length;
  };
  constexpr std::string_view kDataUri = ";base64,";
  for (std::size_t at = messages.find(kDataUri); at != std::string_view::npos;
       at = messages.find(kDataUri, at)) {
    at = add(at + kDataUri.size());
  }
  constexpr std::string_view kDataKey = "\"data\"";
  for (std::size_t at = messages.find(kDataKey); at != std::string_view::npos;
       at = messages.find(kDataKey, at)) {
    std::size_t i = at + kDataKey.size();
    while (i < messages.size() && IsAsciiWhitespace(messages[i])) ++i;
    if (i >= messages.size() || messages[i] != ':') {
      at = i;
      continue;
    }
    ++i;
    while (i < messages.size() && IsAsciiWhitespace(messages[i])) ++i;
    if (i >= messages.size() || messages[i] != '"') {
      at = i;
      continue;
    }
    at = add(i + 1);
  }
  return parts;
}

}  // namespace

routing::RequestFeatures ReadRoutingFeatures(const FeatureSource& source) {
  routing::RequestFeatures features;
  features.model = std::string(source.model);
  features.stream = source.stream;
  features.metadata = routing::MetadataFromJson(source.metadata_json);
  features.has_tools = NonEmptyArray(MemberText(source, "tools"));
  // Image parts are found by their type tag in the raw messages: a byte search, no decode. Text
  // that happens to quote the tag makes a request look like it has an image — the only cost is
  // that a text-only target is not preferred for it.
  const std::string_view messages = MemberText(source, "messages");
  // The same four-bytes-per-token estimate the ledger uses for prompts it never saw counted, but
  // with inline binary parts at a flat token count instead of their base64 bytes.
  const BinaryParts binary = FindBinaryParts(messages);
  features.input_tokens =
      static_cast<std::int64_t>((source.body.size() - binary.bytes + 3) / 4) +
      binary.count * kTokensPerBinaryPart;
  if (source.dialect == wire::Format::kAnthropic) {
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

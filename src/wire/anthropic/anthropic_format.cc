#include "wire/anthropic/anthropic_format.h"

#include <array>

#include "canonical/json_values.h"

namespace switchyard::wire::anthropic {
namespace json = boost::json;
using canonical::ContentPart;
using canonical::FieldReader;
using canonical::FinishReason;
using canonical::Usage;

canonical::FinishReason FinishReasonFromAnthropic(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") {
    return FinishReason::kLength;
  }
  if (stop_reason == "tool_use") return FinishReason::kToolCalls;
  if (stop_reason == "refusal") return FinishReason::kContentFilter;
  return FinishReason::kStop;  // end_turn, stop_sequence, pause_turn, and anything new
}

std::string_view FinishReasonToAnthropic(canonical::FinishReason reason,
                                         bool matched_stop_sequence) {
  switch (reason) {
    case FinishReason::kLength: return "max_tokens";
    case FinishReason::kToolCalls: return "tool_use";
    case FinishReason::kContentFilter: return "refusal";
    case FinishReason::kStop: return matched_stop_sequence ? "stop_sequence" : "end_turn";
    case FinishReason::kError:
    case FinishReason::kUnknown: break;
  }
  return "end_turn";
}

namespace {

// Cache writes: the 5m/1h split when given; else the total, kept in base's split when the totals
// agree (message_delta repeats the total but never the split).
void ReadCacheWrites(const json::object& usage, Usage& out) {
  if (const json::object* split = canonical::ObjectField(usage, "cache_creation")) {
    out.cache_write_tokens = canonical::TokenCountField(*split, "ephemeral_5m_input_tokens", out);
    out.cache_write_1h_tokens =
        canonical::TokenCountField(*split, "ephemeral_1h_input_tokens", out);
    return;
  }
  if (!canonical::HasNumber(usage, "cache_creation_input_tokens")) return;
  const std::int64_t total =
      canonical::TokenCountField(usage, "cache_creation_input_tokens", out);
  if (out.cache_write_tokens + out.cache_write_1h_tokens == total) return;
  out.cache_write_tokens = total;
  out.cache_write_1h_tokens = 0;
}

}  // namespace

canonical::Usage UsageFromAnthropic(const json::object& usage, canonical::Usage base) {
  Usage out = base;
  out.reported = true;
  if (canonical::HasNumber(usage, "input_tokens")) {
    out.input_tokens = canonical::TokenCountField(usage, "input_tokens", out);
  }
  if (canonical::HasNumber(usage, "cache_read_input_tokens")) {
    out.cached_input_tokens = canonical::TokenCountField(usage, "cache_read_input_tokens", out);
  }
  ReadCacheWrites(usage, out);
  if (canonical::HasNumber(usage, "output_tokens")) {
    out.output_tokens = canonical::TokenCountField(usage, "output_tokens", out);
  }
  if (const json::object* details = canonical::ObjectField(usage, "output_tokens_details")) {
    if (canonical::HasNumber(*details, "thinking_tokens")) {
      out.reasoning_tokens = canonical::TokenCountField(*details, "thinking_tokens", out);
    }
  }
  // Anthropic's classes are disjoint already (input excludes cache reads), but thinking is part
  // of the output.
  if (out.reasoning_tokens > out.output_tokens && out.implausible == nullptr) {
    out.implausible = "reasoning tokens above the output tokens";
  }
  return out;
}

json::object UsageToAnthropic(const canonical::Usage& usage, bool with_split) {
  json::object out;
  out["input_tokens"] = usage.input_tokens;
  out["cache_creation_input_tokens"] = usage.cache_write_tokens + usage.cache_write_1h_tokens;
  out["cache_read_input_tokens"] = usage.cached_input_tokens;
  if (with_split) {
    out["cache_creation"] = json::object{{"ephemeral_5m_input_tokens", usage.cache_write_tokens},
                                         {"ephemeral_1h_input_tokens", usage.cache_write_1h_tokens}};
  }
  out["output_tokens"] = usage.output_tokens;
  if (usage.reasoning_tokens > 0) {
    out["output_tokens_details"] = json::object{{"thinking_tokens", usage.reasoning_tokens}};
  }
  return out;
}

json::object BlockFromPart(const canonical::ContentPart& part) {
  json::object block;
  switch (part.kind) {
    case ContentPart::Kind::kText:
      block = {{"type", "text"}, {"text", part.text}};
      break;
    case ContentPart::Kind::kImageUrl:
      block = {{"type", "image"}, {"source", json::object{{"type", "url"}, {"url", part.url}}}};
      break;
    case ContentPart::Kind::kImageBase64:
    case ContentPart::Kind::kDocumentBase64:
      block = {{"type", part.kind == ContentPart::Kind::kImageBase64 ? "image" : "document"},
               {"source", json::object{{"type", "base64"},
                                       {"media_type", part.media_type},
                                       {"data", part.data}}}};
      break;
    case ContentPart::Kind::kThinking:
      block = {{"type", "thinking"}, {"thinking", part.text}, {"signature", part.data}};
      break;
    case ContentPart::Kind::kRedactedThinking:
      block = {{"type", "redacted_thinking"}, {"data", part.data}};
      break;
  }
  if (!part.cache_control.is_null()) block["cache_control"] = part.cache_control;
  return block;
}

namespace {

Result<ContentPart> PartFromSource(FieldReader& reader, ContentPart::Kind base64_kind) {
  const json::object* source = reader.Object("source");
  if (!reader.ok()) return reader.error();
  if (source == nullptr) {
    reader.Require("source");
    return reader.error();
  }
  FieldReader src(*source, reader.PathOf("source"));
  const std::string type = src.String("type").value_or("");
  ContentPart part;
  if (type == "base64") {
    part.kind = base64_kind;
    src.Require("media_type");
    src.Require("data");
    part.media_type = src.String("media_type").value_or("");
    part.data = src.String("data").value_or("");
  } else if (type == "url" && base64_kind == ContentPart::Kind::kImageBase64) {
    part.kind = ContentPart::Kind::kImageUrl;
    src.Require("url");
    part.url = src.String("url").value_or("");
  } else if (type == "text" && base64_kind == ContentPart::Kind::kDocumentBase64) {
    part.kind = ContentPart::Kind::kText;  // a plain-text document is text to every target
    src.Require("data");
    part.text = src.String("data").value_or("");
  } else {
    src.Fail("type", "this source type cannot be translated to another provider's format");
  }
  if (!src.ok()) return src.error();
  return part;
}

}  // namespace

Result<ContentPart> PartFromBlock(const json::object& block, const std::string& path) {
  FieldReader reader(block, path);
  reader.Require("type");
  const std::string type = reader.String("type").value_or("");
  if (!reader.ok()) return reader.error();
  Result<ContentPart> part = ContentPart{};
  if (type == "text") {
    reader.Require("text");
    part->text = reader.String("text").value_or("");
  } else if (type == "image") {
    part = PartFromSource(reader, ContentPart::Kind::kImageBase64);
  } else if (type == "document") {
    part = PartFromSource(reader, ContentPart::Kind::kDocumentBase64);
  } else if (type == "thinking") {
    part->kind = ContentPart::Kind::kThinking;
    part->text = reader.String("thinking").value_or("");
    part->data = reader.String("signature").value_or("");
  } else if (type == "redacted_thinking") {
    part->kind = ContentPart::Kind::kRedactedThinking;
    part->data = reader.String("data").value_or("");
  } else {
    reader.Fail("type", "block type '" + type + "' cannot be translated to another provider's format");
  }
  if (!reader.ok()) return reader.error();
  if (!part) return part;
  if (const json::value* cache = reader.Find("cache_control")) part->cache_control = *cache;
  part->path = path;
  return part;
}

bool IsAnthropicImageType(std::string_view media_type) {
  static constexpr std::array<std::string_view, 4> kTypes = {"image/jpeg", "image/png",
                                                             "image/gif", "image/webp"};
  for (std::string_view t : kTypes) {
    if (t == media_type) return true;
  }
  return false;
}

std::string_view ErrorTypeForStatus(int status) {
  switch (status) {
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: case 529: return "overloaded_error";
    case 504: return "timeout_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

bool IsAnthropicErrorType(std::string_view type) {
  static constexpr std::array<std::string_view, 10> kTypes = {
      "invalid_request_error", "authentication_error", "billing_error", "permission_error",
      "not_found_error",       "request_too_large",    "rate_limit_error", "api_error",
      "timeout_error",         "overloaded_error"};
  for (std::string_view t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

}  // namespace switchyard::wire::anthropic

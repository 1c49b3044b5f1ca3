#include "wire/gemini/gemini_format.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "canonical/json_values.h"
#include "json/object_scan.h"

namespace switchyard::wire::gemini {
namespace json = boost::json;
using canonical::TokenCountField;
using canonical::FinishReason;

std::string MarkSignature(std::string_view signature) {
  return std::string(kSignaturePrefix) + std::string(signature);
}

std::optional<std::string_view> UnmarkSignature(std::string_view marked) {
  if (!marked.starts_with(kSignaturePrefix) || marked.size() == kSignaturePrefix.size()) {
    return std::nullopt;
  }
  return marked.substr(kSignaturePrefix.size());
}

namespace {

bool IsFilterReason(std::string_view reason) {
  static constexpr std::array<std::string_view, 9> kReasons = {
      "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE",
      "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION"};
  for (std::string_view r : kReasons) {
    if (r == reason) return true;
  }
  return false;
}

}  // namespace

FinishReason FinishReasonFromGemini(std::string_view reason, bool has_tool_calls) {
  if (reason == "STOP" || reason.empty()) {
    if (has_tool_calls) return FinishReason::kToolCalls;
    return reason.empty() ? FinishReason::kUnknown : FinishReason::kStop;
  }
  if (reason == "MAX_TOKENS") return FinishReason::kLength;
  if (IsFilterReason(reason)) return FinishReason::kContentFilter;
  if (reason == "MALFORMED_FUNCTION_CALL" || reason == "UNEXPECTED_TOOL_CALL" ||
      reason == "TOO_MANY_TOOL_CALLS") {
    return FinishReason::kError;
  }
  return FinishReason::kUnknown;
}

// Gemini counts cached tokens inside promptTokenCount, and thoughts apart from the candidates.
canonical::Usage UsageFromGemini(const json::object& usage_metadata) {
  canonical::Usage usage;
  usage.reported = true;
  const std::int64_t prompt = TokenCountField(usage_metadata, "promptTokenCount", usage);
  const std::int64_t reported_cached =
      TokenCountField(usage_metadata, "cachedContentTokenCount", usage);
  if (reported_cached > prompt && usage.implausible == nullptr) {
    usage.implausible = "cached tokens above the prompt tokens";
  }
  const std::int64_t cached = std::min(reported_cached, prompt);
  const std::int64_t thoughts = TokenCountField(usage_metadata, "thoughtsTokenCount", usage);
  usage.input_tokens =
      prompt - cached + TokenCountField(usage_metadata, "toolUsePromptTokenCount", usage);
  usage.cached_input_tokens = cached;
  usage.output_tokens = TokenCountField(usage_metadata, "candidatesTokenCount", usage) + thoughts;
  usage.reasoning_tokens = thoughts;
  return usage;
}

const json::object* FirstCandidate(const json::object& response) {
  const json::value* candidates = response.if_contains("candidates");
  if (candidates == nullptr || !candidates->is_array()) return nullptr;
  for (const json::value& candidate : candidates->get_array()) {
    const json::object* obj = candidate.if_object();
    if (obj == nullptr) continue;
    const json::value* index = obj->if_contains("index");
    if (index == nullptr || !index->is_number() || index->to_number<double>() == 0) return obj;
  }
  return nullptr;
}

std::optional<json::object> ParseGeminiObject(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = ::switchyard::json::kMaxJsonDepth;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) return std::nullopt;
  if (json::array* items = value.if_array(); items != nullptr && !items->empty()) {
    json::value first = std::move(items->front());  // out of the array before replacing it
    value = std::move(first);
  }
  if (!value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

PartView ReadPart(const json::object& part) {
  PartView view;
  view.signature = canonical::StringField(part, "thoughtSignature");
  if (const json::object* call = canonical::ObjectField(part, "functionCall")) {
    view.kind = PartView::Kind::kFunctionCall;
    view.call_id = canonical::StringField(*call, "id");
    view.call_name = canonical::StringField(*call, "name");
    const json::object* args = canonical::ObjectField(*call, "args");
    view.call_args = args != nullptr ? json::serialize(*args) : "{}";
    return view;
  }
  const json::value* text = part.if_contains("text");
  if (text != nullptr && text->is_string()) {
    const json::value* thought = part.if_contains("thought");
    const bool is_thought = thought != nullptr && *thought == true;
    view.kind = is_thought ? PartView::Kind::kThought : PartView::Kind::kText;
    view.text = std::string(text->get_string());
  }
  return view;
}

const json::array* CandidateParts(const json::object& candidate) {
  const json::object* content = canonical::ObjectField(candidate, "content");
  const json::value* parts = content != nullptr ? content->if_contains("parts") : nullptr;
  return parts != nullptr ? parts->if_array() : nullptr;
}

std::string SynthesizeCallId(std::string_view response_id, int ordinal) {
  if (response_id.empty()) return fmt::format("call_{}", ordinal);
  return fmt::format("call_{}_{}", response_id, ordinal);
}

std::string_view ErrorTypeForGeminiStatus(std::string_view status) {
  if (status == "INVALID_ARGUMENT" || status == "OUT_OF_RANGE" || status == "FAILED_PRECONDITION" ||
      status == "ALREADY_EXISTS") {
    return "invalid_request_error";
  }
  if (status == "UNAUTHENTICATED") return "authentication_error";
  if (status == "PERMISSION_DENIED") return "permission_error";
  if (status == "NOT_FOUND") return "not_found_error";
  if (status == "RESOURCE_EXHAUSTED") return "rate_limit_error";
  if (status == "UNAVAILABLE") return "overloaded_error";
  if (status == "DEADLINE_EXCEEDED") return "timeout_error";
  if (status == "INTERNAL" || status == "UNKNOWN" || status == "ABORTED" || status == "CANCELLED" ||
      status == "DATA_LOSS" || status == "UNIMPLEMENTED") {
    return "api_error";
  }
  return {};
}

std::string_view ErrorTypeForHttpStatus(int status) {
  switch (status) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 503: return "overloaded_error";
    case 504: return "timeout_error";
    default: return status >= 500 || status < 400 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace switchyard::wire::gemini

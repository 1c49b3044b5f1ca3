// The Anthropic Messages format's pieces that both directions share (wire-formats.md §3, §6): stop
// reasons, usage, content blocks and error types, each mapped once to and from the canonical model.
// Used by the Anthropic adapter (provider side) and the Anthropic inbound codec (client side), so
// that each mapping is written once per format (STYLE.md 2.3).
//
// Pure functions over values; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "canonical/chat.h"
#include "canonical/field_reader.h"
#include "core/result.h"

namespace switchyard::wire::anthropic {

// The anthropic-version sent when the client gave none.
inline constexpr std::string_view kDefaultAnthropicVersion = "2023-06-01";

// end_turn, stop_sequence, pause_turn → kStop; max_tokens, model_context_window_exceeded →
// kLength; tool_use → kToolCalls; refusal → kContentFilter; anything else → kStop.
canonical::FinishReason FinishReasonFromAnthropic(std::string_view stop_reason);

// kStop → "end_turn" ("stop_sequence" when a stop sequence matched); kLength → "max_tokens";
// kToolCalls → "tool_use"; kContentFilter → "refusal"; kError, kUnknown → "end_turn".
std::string_view FinishReasonToAnthropic(canonical::FinishReason reason, bool matched_stop_sequence);

// Usage from an Anthropic usage object. Counters present in `usage` overwrite those of `base`;
// absent ones keep base's (message_delta repeats some counters of message_start, never all).
// input_tokens already excludes cache reads and writes; cache writes split into 5-minute and 1-hour
// when the provider gave cache_creation, else count as 5-minute writes.
canonical::Usage UsageFromAnthropic(const boost::json::object& usage, canonical::Usage base);

// {"input_tokens","cache_creation_input_tokens","cache_read_input_tokens","output_tokens"}, plus
// cache_creation's 5m/1h split when `with_split` (message_start and complete messages carry it,
// message_delta does not).
boost::json::object UsageToAnthropic(const canonical::Usage& usage, bool with_split);

// The request content block for a part (text, image, document, thinking, redacted_thinking), with
// its cache_control. REQUIRES: the part's media type was checked where the target needs it.
boost::json::object BlockFromPart(const canonical::ContentPart& part);

// A request content block that is not tool_use / tool_result, read strictly (400s name `path`);
// the part keeps `path` as where the client wrote it.
Result<canonical::ContentPart> PartFromBlock(const boost::json::object& block, const std::string& path);

// The image media types Anthropic accepts.
bool IsAnthropicImageType(std::string_view media_type);

// Anthropic's error type for an HTTP status (§3.5): 400 invalid_request_error, 401
// authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error, 413
// request_too_large, 429 rate_limit_error, 503/529 overloaded_error, 504 timeout_error, other
// 5xx api_error, other 4xx invalid_request_error.
std::string_view ErrorTypeForStatus(int status);

// True for the error types Anthropic documents (kept as they are when passing an error on).
bool IsAnthropicErrorType(std::string_view type);

}  // namespace switchyard::wire::anthropic

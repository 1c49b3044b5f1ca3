// The OpenAI Chat Completions format's pieces that both directions share (wire-formats.md §1, §6):
// finish reasons, usage output, tool calls, content parts and the reasoning fields, each mapped
// once to and from the canonical model. Used by the OpenAI adapter's translated path (provider
// side) and the OpenAI inbound codec (client side). Usage input is openai_usage.h's.
//
// Reasoning travels to OpenAI-format clients as `reasoning_content` (the widely read non-standard
// field) and, when it carries signatures, as `thinking_blocks` ([{type:"thinking", thinking,
// signature}] | [{type:"redacted_thinking", data}], litellm's convention): a client that sends the
// assistant message back keeps them, so a thinking tool loop to Anthropic keeps working.
//
// Pure functions over values; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::wire::openai {

// stop, eos (Together) → kStop; length, model_length (Mistral) → kLength; tool_calls,
// function_call → kToolCalls; content_filter → kContentFilter; anything else → kStop.
canonical::FinishReason FinishReasonFromOpenAI(std::string_view finish_reason);

// kStop, kError, kUnknown → "stop"; kLength → "length"; kToolCalls → "tool_calls";
// kContentFilter → "content_filter".
std::string_view FinishReasonToOpenAI(canonical::FinishReason reason);

// {"prompt_tokens" (every prompt class), "completion_tokens", "total_tokens",
//  "prompt_tokens_details":{"cached_tokens"[, "cache_write_tokens" when any]},
//  "completion_tokens_details":{"reasoning_tokens"}}.
boost::json::object UsageToOpenAI(const canonical::Usage& usage);

// [{"id","type":"function","function":{"name","arguments"}}].
boost::json::array ToolCallsToOpenAI(const std::vector<canonical::ToolCall>& calls);

// The text parts of `parts`, concatenated.
std::string JoinText(const std::vector<canonical::ContentPart>& parts);

// Adds reasoning_content (thinking text joined) and thinking_blocks (when any thinking part has a
// signature, or is redacted) to an assistant message object; adds nothing without thinking.
void AddReasoning(const std::vector<canonical::ContentPart>& parts, boost::json::object& message);

// A user content part (text, image_url with a URL or data URI, or file with file_data).
// REQUIRES: part is text, image or document.
boost::json::object PartToOpenAI(const canonical::ContentPart& part);

// One user/system/tool content part, read strictly (400s name `path`): text, image_url, file with
// file_data; refusal reads as text. input_audio and file_id cannot be translated (400). The part
// keeps `path` as where the client wrote it.
Result<canonical::ContentPart> PartFromOpenAI(const boost::json::object& part,
                                              const std::string& path);

}  // namespace switchyard::wire::openai

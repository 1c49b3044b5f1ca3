// Decodes a complete OpenAI Chat Completions response (wire-formats.md §1.3) into the canonical
// model: the first choice's text (a refusal reads as text), reasoning (reasoning_content or
// reasoning, the compatible hosts' names) as an unsigned thinking part, tool calls, finish reason;
// id, model, created; usage through openai_usage.h (cached tokens taken out of the input).
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::providers::openai_compat {

// Failure: UpstreamProtocol when `body` is not a chat completion (an error body sent with 200
// included, with the provider's message).
Result<canonical::ChatResponse> DecodeOpenAIResponse(std::string_view body);

// The reasoning text of a message or delta object: reasoning_content, else reasoning; "" if none.
std::string ReasoningText(const boost::json::object& message);

}  // namespace switchyard::providers::openai_compat

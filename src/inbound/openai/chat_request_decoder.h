// Decodes an OpenAI Chat Completions request body (wire-formats.md §1.1–1.2) into the canonical
// model. system and developer messages become kSystem messages in place; assistant messages keep
// their tool calls and, from this gateway's own thinking_blocks field, their signed thinking;
// tool messages become kTool messages. max_completion_tokens wins over max_tokens;
// reasoning_effort becomes Reasoning{kEnabled, effort}; user (or safety_identifier) becomes the
// end-user id. Every other field (n, seed, logprobs, store, ...) goes to `extra` untouched, for the
// provider encoder to re-emit, drop or refuse.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::inbound::openai {

// Failure: a 400 naming the field (e.g. "messages[1].tool_call_id: is required").
Result<canonical::ChatRequest> DecodeChatRequest(std::string_view body);

}  // namespace switchyard::inbound::openai

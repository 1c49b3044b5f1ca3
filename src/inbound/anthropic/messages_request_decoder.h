// Decodes an Anthropic Messages request body (wire-formats.md §3.2) into the canonical model.
// The top-level system (string or text blocks, with cache_control) becomes a leading kSystem
// message, and a system role inside messages a kSystem message in place; a user turn's
// tool_result blocks become kTool messages ahead of a kUser message with the rest of the turn
// (the order OpenAI needs); assistant tool_use blocks become tool calls (input serialized).
// thinking → Reasoning (enabled with its budget, adaptive, disabled), output_config.effort →
// its effort, output_config.format (or the older output_format) → a json_schema response format,
// tool_choice.disable_parallel_tool_use → parallel_tool_calls false, metadata.user_id → user.
// Every other field (service_tier, container, mcp_servers, inference_geo, ...) goes to `extra`.
//
// Blocks and tools no other format has (server tools and their result blocks, URL documents,
// file sources) are refused with a 400 naming them: they cannot be translated.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::inbound::anthropic {

Result<canonical::ChatRequest> DecodeMessagesRequest(std::string_view body);

}  // namespace switchyard::inbound::anthropic

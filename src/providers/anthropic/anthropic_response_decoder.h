// Decodes a complete Anthropic Messages response (wire-formats.md §3.3) into the canonical model:
// text, thinking (with its signature) and redacted thinking in order, tool_use blocks as tool calls
// (input serialized as the arguments text), stop reason, usage. The reserved json_object tool
// (anthropic_request_encoder.h) comes back as text. Block types no other format has (server tool
// use and its results) are left out.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::providers::anthropic {

// Failure: UpstreamProtocol when `body` is not an Anthropic message.
Result<canonical::ChatResponse> DecodeAnthropicResponse(std::string_view body);

}  // namespace switchyard::providers::anthropic

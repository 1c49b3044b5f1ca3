// Encodes a canonical chat request as an OpenAI Chat Completions request body, for OpenAI and every
// OpenAI-compatible host (wire-formats.md §1.1, §6). The messages are openai_message_encoder's;
// this adds the parameters:
//
// - max_tokens → max_completion_tokens (the current name; the host row's renames turn it into
//   max_tokens where a host wants that);
// - reasoning: the effort as reasoning_effort; an Anthropic thinking budget becomes an effort
//   (≤1024 low, ≤2048 medium, else high); adaptive thinking without an effort and disabled
//   thinking send nothing;
// - output_config.format (Anthropic structured output) → response_format json_schema, named
//   "response", strict unless the client said otherwise;
// - streams ask for stream_options.include_usage unless the host row says usage always comes;
// - an Anthropic conversation that ends with an assistant turn (a prefill the model continues) is
//   refused: OpenAI would answer it anew;
// - fields of another dialect (`extra`): container and mcp_servers (they add capabilities the
//   answer depends on) are refused with a 400; every other one (top_k, service_tier,
//   inference_geo, cache_control, unknown fields) is dropped and listed. Fields of the OpenAI
//   dialect are re-emitted unchanged.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"
#include "core/result.h"
#include "hosts/host_profile.h"

namespace switchyard::providers::openai_compat {

// `profile` may be nullptr (a custom host: no renames, usage on request).
Result<canonical::EncodedBody> EncodeOpenAIRequest(const canonical::ChatRequest& request,
                                                   std::string_view model,
                                                   const hosts::HostProfile* profile);

// An Anthropic thinking budget as an OpenAI reasoning effort.
std::string_view EffortForBudget(std::int64_t budget_tokens);

}  // namespace switchyard::providers::openai_compat

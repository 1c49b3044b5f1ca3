// Encodes a canonical chat request as an Anthropic Messages request body (wire-formats.md §3.2,
// §6). The conversation itself is anthropic_message_encoder's; this adds the parameters:
//
// - max_tokens (required by Anthropic): the request's, else kDefaultMaxTokens (4096), or the
//   thinking budget + 4096 when thinking is on. A budget that does not fit under the client's own
//   limit is a 400.
// - reasoning: an OpenAI reasoning_effort becomes thinking {type: enabled, budget_tokens} with the
//   budget from ThinkingBudgetForEffort ("none" turns it off); Anthropic's own thinking and
//   output_config.effort are kept as given.
// - JSON output: json_schema → output_config.format {type: json_schema, schema} (Anthropic's native
//   structured output); json_object, which Anthropic has no mode for, → a forced tool named
//   kJsonToolName whose input is the JSON object (the response decoders turn it back into text).
// - Fields of another dialect (`extra`): each is either dropped and listed (it cannot change the
//   answer) or refused with a 400 naming it; unknown ones are dropped and listed. Fields of the
//   Anthropic dialect are re-emitted unchanged.
//
// Pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"
#include "core/result.h"

namespace switchyard::providers::anthropic {

inline constexpr std::int64_t kDefaultMaxTokens = 4096;

// The reserved tool that carries json_object answers; a client tool of that name is refused.
inline constexpr std::string_view kJsonToolName = "switchyard_json";

// minimal/low → 1024, medium → 2048, high → 4096, xhigh → 8192, max → 16384 tokens (litellm's
// low/medium/high constants; the rest extrapolated). 0 for "none" and for unknown efforts.
std::int64_t ThinkingBudgetForEffort(std::string_view effort);

// The body for `request`, with `model` as the model. Failure: a 400 naming the field the
// Anthropic format cannot honour (n > 1, logprobs, temperature above 1, audio, ...).
Result<canonical::EncodedBody> EncodeAnthropicRequest(const canonical::ChatRequest& request,
                                                      std::string_view model);

}  // namespace switchyard::providers::anthropic

// Encodes a canonical chat request as a Gemini generateContent body (wire-formats.md §4.2, §6).
// The conversation is gemini_content_encoder's; this adds the parameters:
//
// - generationConfig: maxOutputTokens, temperature, topP, topK, stopSequences; an OpenAI client's
//   seed, presence_penalty and frequency_penalty become seed, presencePenalty, frequencyPenalty.
// - JSON output: json_object → responseMimeType "application/json"; json_schema → the same plus
//   responseJsonSchema (standard JSON Schema; `responseSchema` would refuse keywords such as
//   additionalProperties or $schema, §4.2).
// - Reasoning → thinkingConfig {thinkingBudget, includeThoughts: true}: an explicit budget as
//   given; an effort through ThinkingBudgetForEffort ("none" → budget 0, thinking off); adaptive →
//   -1 (Gemini's dynamic budget); disabled → 0. thinkingBudget rather than thinkingLevel because
//   2.5 models take only the budget and 3.x models still accept it (§4.2).
// - tools → one {functionDeclarations: [{name, description, parametersJsonSchema}]} (standard JSON
//   Schema, for the same reason as responseJsonSchema); tool_choice →
//   toolConfig.functionCallingConfig {mode: AUTO | NONE | ANY, allowedFunctionNames} (§6.4). An
//   allowed-tools subset keeps only those declarations (allowedFunctionNames is for ANY only).
// - Dropped and listed: user, parallel_tool_calls (no Gemini counterpart), strict on tools, a JSON
//   schema's description, cache_control.
// - Fields of another dialect (`extra`), with the Anthropic encoder's policy: those that ask for
//   something in the answer the canonical response cannot carry are refused (n > 1, logprobs,
//   logit_bias, non-text modalities, audio, web_search_options, legacy functions); the rest are
//   dropped and listed. An Anthropic client's container and mcp_servers are refused, as the
//   OpenAI encoder does.
//
// Pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"
#include "core/result.h"

namespace switchyard::providers::gemini {

// minimal/low → 1024, medium → 2048, high → 4096, xhigh → 8192, max → 16384 (the Anthropic
// encoder's table, so an effort costs the same on both); "none" → 0; unknown → nullopt.
std::optional<std::int64_t> ThinkingBudgetForEffort(std::string_view effort);

// The body for `request` (the model goes in the URL, not the body). Failure: a 400 naming the
// field the Gemini format cannot honour.
Result<canonical::EncodedBody> EncodeGeminiRequest(const canonical::ChatRequest& request);

}  // namespace switchyard::providers::gemini

// Decodes a complete Gemini GenerateContentResponse (wire-formats.md §4.3) into the canonical
// model, from its first candidate:
//
// - parts in order: text → text; `thought: true` text → thinking; functionCall → a tool call (args
//   serialized as the arguments text; its id, or SynthesizeCallId's when Gemini sent none); a
//   part's thoughtSignature → a signed thinking part (gemini_format.h) placed before what it came
//   on (for a thought part: on the thinking part itself), so that the content encoder can put it
//   back. Empty text parts add nothing but their signature.
// - Parts no other format has (inlineData, fileData, executableCode, codeExecutionResult: the
//   gateway asks for none of them) are left out.
// - finishReason (FinishReasonFromGemini), usageMetadata (UsageFromGemini), responseId → id,
//   modelVersion → model. A blocked prompt (no candidates, promptFeedback.blockReason) is an empty
//   answer finished by kContentFilter. safetyRatings, citationMetadata and avgLogprobs are not
//   kept.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::providers::gemini {

// Failure: UpstreamProtocol when `body` is not a Gemini response (not a JSON object, or one with
// neither candidates nor promptFeedback), or when it is an error object.
Result<canonical::ChatResponse> DecodeGeminiResponse(std::string_view body);

}  // namespace switchyard::providers::gemini

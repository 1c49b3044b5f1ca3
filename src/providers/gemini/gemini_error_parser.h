// Reads a Gemini error answer, {"error":{"code","message","status","details":[...]}} or the same
// wrapped in a JSON array (streaming endpoints, wire-formats.md §4.5), into a ProviderError:
// message as given; type from the status string (gemini_format.h), else from the HTTP status; code
// = the ErrorInfo reason when details carry one (API_KEY_INVALID, ...), else the status string.
//
// Classified by the HTTP status as the other parsers do (429, 5xx retryable; 401/403/404 fall
// back; other 4xx fatal), refined by what Gemini says (§4.5, §7.2):
// - 400 with reason API_KEY_INVALID (Gemini has no 401): falls back, as a bad key does elsewhere.
// - 400 FAILED_PRECONDITION (free tier not offered in the region, billing needed): falls back; the
//   request is fine, this target cannot serve it.
// - 429 RESOURCE_EXHAUSTED for a daily quota (a QuotaFailure violation whose quotaId or
//   quotaMetric says per day, or a message that does): falls back, like OpenAI's
//   insufficient_quota; waiting minutes will not help. Per-minute limits stay retryable.
// - A body whose status is RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL or DEADLINE_EXCEEDED under a
//   non-error HTTP status (an error inside a 200 stream) is retryable.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "providers/provider_error.h"

namespace switchyard::providers::gemini {

ProviderError ParseGeminiError(int status, std::string_view body);

}  // namespace switchyard::providers::gemini

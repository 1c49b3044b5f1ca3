// The rate-limit headers OpenAI, Groq and most OpenAI-compatible hosts send:
// x-ratelimit-reset-{requests,tokens} as Go-style durations ("1s", "6m0s", "2m59.56s", "20ms"), with
// x-ratelimit-remaining-{requests,tokens}.
#pragma once

#include <chrono>
#include <optional>

#include "http/header_lookup.h"

namespace switchyard::providers::openai_compat {

// The wait until the exhausted limit resets (providers/rate_limit_reset.h gives the rule).
std::optional<std::chrono::milliseconds> OpenAIRateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now);

}  // namespace switchyard::providers::openai_compat

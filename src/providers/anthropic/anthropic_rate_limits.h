// The rate-limit headers Anthropic sends: anthropic-ratelimit-{requests,tokens,input-tokens,
// output-tokens}-reset as RFC 3339 times, with anthropic-ratelimit-*-remaining.
#pragma once

#include <chrono>
#include <optional>

#include "http/header_lookup.h"

namespace switchyard::providers::anthropic {

// The wait until the exhausted limit resets (providers/rate_limit_reset.h gives the rule).
std::optional<std::chrono::milliseconds> AnthropicRateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now);

}  // namespace switchyard::providers::anthropic

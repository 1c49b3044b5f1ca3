// The wait until a 429's rate limit resets, from a provider's table of rate-limit headers: each
// adapter names its headers (providers/*/…_rate_limits.cc) and how their reset times are written;
// the rule for choosing among several limits is shared here. Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "http/header_lookup.h"

namespace switchyard::providers {

// One rate limit: the header with its reset time, and the one with how much of it remains.
struct RateLimitHeaders {
  enum class ResetForm {
    kGoDuration,  // a duration from now: "1s", "6m0s", "2m59.56s", "20ms"
    kRfc3339,     // a time: "2025-01-02T03:04:05Z"
  };
  std::string_view reset;
  std::string_view remaining;
  ResetForm form;
};

// The limits whose remaining count is 0 are the exhausted ones: the wait is until the last of them
// resets. When none says 0 (or none says), the earliest reset given — the least the provider asks.
// nullopt when no reset header can be read. Every wait is capped at a week (core/time_text.h).
std::optional<std::chrono::milliseconds> RateLimitResetFrom(
    std::span<const RateLimitHeaders> limits, const http::HeaderLookup& header,
    std::chrono::system_clock::time_point now);

}  // namespace switchyard::providers

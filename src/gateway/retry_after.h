// How long a provider asks the gateway to wait, for retries and 429 cool-downs: its `retry-after`
// header (RFC 9110 §10.2.3), or on a 429 without one the reset time of the rate limit it exhausted
// (OpenAI-style `x-ratelimit-reset-*` durations, Anthropic's `anthropic-ratelimit-*-reset` times).
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::gateway {

// `retry-after`: delay-seconds ("120"; decimals such as "1.5" are read too, as some hosts send
// them), or an HTTP-date in the preferred IMF-fixdate form ("Wed, 21 Oct 2015 07:28:00 GMT"),
// counted from `now` (a date already past is a wait of 0). nullopt when `value` is empty or is
// neither form (then the caller knows there was a header but not how long it asks for).
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// The `retry-after` passed on to a client for the provider's `value`: parsed and written anew,
// never copied — delay-seconds in whole seconds (rounded up, at most a week), or the HTTP-date
// re-formatted as IMF-fixdate from the time read. nullopt when `value` is neither (a provider's
// raw header, which may carry anything, is dropped).
std::optional<std::string> RetryAfterForClient(std::string_view value);

// A response header's value by (lower-case) name; empty when absent.
using HeaderLookup = std::function<std::string_view(std::string_view name)>;

// The wait until a 429's rate limit resets, from the provider's rate-limit headers:
//   x-ratelimit-reset-{requests,tokens}: Go-style durations ("1s", "6m0s", "2m59.56s", "20ms"),
//     with x-ratelimit-remaining-{requests,tokens} (OpenAI, Groq and most compatible hosts);
//   anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset: RFC 3339 times, with
//     anthropic-ratelimit-*-remaining.
// The limits whose remaining count is 0 are the exhausted ones: the wait is until the last of them
// resets. When none says 0 (or none says), the earliest reset given — the least the provider asks.
// nullopt when no reset header can be read.
std::optional<std::chrono::milliseconds> ParseRateLimitReset(
    const HeaderLookup& header, std::chrono::system_clock::time_point now);

}  // namespace switchyard::gateway

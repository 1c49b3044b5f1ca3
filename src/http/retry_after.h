// `retry-after` (RFC 9110 §10.2.3): how long a server asks its client to wait, read for retries
// and 429 cool-downs, and written anew for the gateway's own clients. Provider-specific rate-limit
// headers are each adapter's (ProviderAdapter::RateLimitReset). Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::http {

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

}  // namespace switchyard::http

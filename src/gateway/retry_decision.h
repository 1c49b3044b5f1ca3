// Whether to try the same target again after a failed attempt, and how long its provider asked us
// to wait (backoff.h turns that into the actual wait).
#pragma once

#include <chrono>
#include <optional>

#include "config/config.h"
#include "gateway/attempt.h"

namespace switchyard::gateway {

// How long the provider asked us to wait: its retry-after (seconds or an HTTP-date,
// http/retry_after.h), else on a 429 the reset time of its exhausted rate limit. nullopt when it
// asked nothing, or sent a retry-after that cannot be read.
std::optional<std::chrono::milliseconds> ProviderWait(const AttemptResult& result);

// Whether the same target is worth another try: a retryable error, a status the route retries on,
// and a provider that does not ask us to wait longer than we would (then another target is better;
// a retry-after we cannot read counts as longer).
bool ShouldRetry(const AttemptResult& result, const config::RetryPolicy& retry);

}  // namespace switchyard::gateway

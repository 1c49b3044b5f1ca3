#include "gateway/retry_decision.h"

#include <algorithm>

#include "gateway/backoff.h"
#include "gateway/retry_after.h"

namespace switchyard::gateway {

// How long the provider asked us to wait: its retry-after (seconds or an HTTP-date,
// gateway/retry_after.h), else on a 429 the reset time of its exhausted rate limit. nullopt when it
// asked nothing, or sent a retry-after that cannot be read.
std::optional<std::chrono::milliseconds> ProviderWait(const AttemptResult& result) {
  if (!result.retry_after.empty()) {
    return ParseRetryAfter(result.retry_after, std::chrono::system_clock::now());
  }
  return result.rate_limit_reset;
}

// Whether the same target is worth another try: a retryable error, a status the route retries on,
// and a provider that does not ask us to wait longer than we would (then another target is better;
// a retry-after we cannot read counts as longer).
bool ShouldRetry(const AttemptResult& result, const config::RetryPolicy& retry) {
  if (result.error_class != providers::ErrorClass::kRetryable) return false;
  if (!result.retry_after.empty() || result.rate_limit_reset) {
    const auto wait = ProviderWait(result);
    if (!wait || *wait > kMaxBackoff) return false;
  }
  const int status = result.record.http_status;
  if (status == 0) return true;  // timeouts and connection failures
  return std::find(retry.on_status.begin(), retry.on_status.end(), status) != retry.on_status.end();
}

}  // namespace switchyard::gateway

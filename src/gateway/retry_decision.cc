#include "gateway/retry_decision.h"

#include <algorithm>

#include "gateway/backoff.h"
#include "http/retry_after.h"

namespace switchyard::gateway {

std::optional<std::chrono::milliseconds> ProviderWait(const AttemptResult& result) {
  if (!result.retry_after.empty()) {
    return http::ParseRetryAfter(result.retry_after, std::chrono::system_clock::now());
  }
  return result.rate_limit_reset;
}

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

#include "routing/retry_policy.h"

#include <algorithm>

#include "routing/backoff.h"

namespace switchyard::routing {

bool ShouldRetry(const AttemptReport& report, const config::RetryPolicy& retry) {
  if (!report.error || report.failure != FailureClass::kRetryable) return false;
  if (report.provider_wait.asked) {
    const auto& wait = report.provider_wait.wait;
    if (!wait || *wait > kMaxBackoff) return false;
  }
  const int status = report.http_status;
  if (status == 0) return true;  // timeouts and connection failures
  return std::find(retry.on_status.begin(), retry.on_status.end(), status) != retry.on_status.end();
}

}  // namespace switchyard::routing

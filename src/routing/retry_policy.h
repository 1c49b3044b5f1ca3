// Whether to try the same target again after a failed attempt (backoff.h says how long to wait
// first). Pure.
#pragma once

#include "config/config.h"
#include "routing/attempt_runner.h"

namespace switchyard::routing {

// Whether the same target is worth another try: a retryable failure, a status the route retries
// on (timeouts and connection failures, which have none, always are), and a provider that does not
// ask us to wait longer than we would (then another target is better; a wait asked in a form that
// cannot be read counts as longer).
bool ShouldRetry(const AttemptReport& report, const config::RetryPolicy& retry);

}  // namespace switchyard::routing

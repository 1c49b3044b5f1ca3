#include "providers/rate_limit_reset.h"

#include "core/strings.h"
#include "core/time_text.h"

namespace switchyard::providers {

using std::chrono::milliseconds;

std::optional<milliseconds> RateLimitResetFrom(std::span<const RateLimitHeaders> limits,
                                               const http::HeaderLookup& header,
                                               std::chrono::system_clock::time_point now) {
  std::optional<milliseconds> exhausted;  // the latest reset of a limit with nothing remaining
  std::optional<milliseconds> earliest;   // the earliest reset of any limit
  for (const RateLimitHeaders& limit : limits) {
    const std::string_view reset = TrimWhitespace(header(limit.reset));
    if (reset.empty()) continue;
    std::optional<milliseconds> wait;
    if (limit.form == RateLimitHeaders::ResetForm::kRfc3339) {
      if (const auto at = ParseRfc3339(reset)) wait = WaitUntil(*at, now);
    } else {
      wait = ParseGoDuration(reset);
    }
    if (!wait) continue;
    if (!earliest || *wait < *earliest) earliest = wait;
    if (TrimWhitespace(header(limit.remaining)) == "0" && (!exhausted || *wait > *exhausted)) {
      exhausted = wait;
    }
  }
  return exhausted ? exhausted : earliest;
}

}  // namespace switchyard::providers

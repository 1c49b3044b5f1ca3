#include "providers/anthropic/anthropic_rate_limits.h"

#include "providers/rate_limit_reset.h"

namespace switchyard::providers::anthropic {

std::optional<std::chrono::milliseconds> AnthropicRateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now) {
  using Form = RateLimitHeaders::ResetForm;
  static constexpr RateLimitHeaders kLimits[] = {
      {"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-requests-remaining",
       Form::kRfc3339},
      {"anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-tokens-remaining", Form::kRfc3339},
      {"anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-input-tokens-remaining",
       Form::kRfc3339},
      {"anthropic-ratelimit-output-tokens-reset", "anthropic-ratelimit-output-tokens-remaining",
       Form::kRfc3339},
  };
  return RateLimitResetFrom(kLimits, header, now);
}

}  // namespace switchyard::providers::anthropic

#include "providers/openai_compat/openai_rate_limits.h"

#include "providers/rate_limit_reset.h"

namespace switchyard::providers::openai_compat {

std::optional<std::chrono::milliseconds> OpenAIRateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now) {
  using Form = RateLimitHeaders::ResetForm;
  static constexpr RateLimitHeaders kLimits[] = {
      {"x-ratelimit-reset-requests", "x-ratelimit-remaining-requests", Form::kGoDuration},
      {"x-ratelimit-reset-tokens", "x-ratelimit-remaining-tokens", Form::kGoDuration},
  };
  return RateLimitResetFrom(kLimits, header, now);
}

}  // namespace switchyard::providers::openai_compat

// libFuzzer target for the rate-limit reset headers the OpenAI and Anthropic adapters read
// (openai_rate_limits.h, anthropic_rate_limits.h, the rule in providers/rate_limit_reset.h): the
// input is split at '\n' into the values of the OpenAI-style and Anthropic headers, in order; each
// adapter's parse never crashes, and a wait it gives is between 0 and a week.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "providers/anthropic/anthropic_rate_limits.h"
#include "providers/openai_compat/openai_rate_limits.h"

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 12> kNames = {
    "x-ratelimit-reset-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-reset-tokens",
    "x-ratelimit-remaining-tokens",
    "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-tokens-reset",
    "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-input-tokens-reset",
    "anthropic-ratelimit-input-tokens-remaining",
    "anthropic-ratelimit-output-tokens-reset",
    "anthropic-ratelimit-output-tokens-remaining",
};

// 2025-01-02 03:04:05 UTC: a fixed clock, so that a run is reproducible.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2025) / 1 / 2) + std::chrono::hours(3) +
    std::chrono::minutes(4) + std::chrono::seconds(5);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::array<std::string_view, kNames.size()> values{};
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (std::string_view& value : values) {
    const std::size_t end = rest.find('\n');
    value = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  const auto header = [&](std::string_view name) -> std::string_view {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return values[i];
    }
    return {};
  };
  using namespace switchyard::providers;
  for (const auto wait : {openai_compat::OpenAIRateLimitReset(header, kNow),
                          anthropic::AnthropicRateLimitReset(header, kNow)}) {
    if (wait && (*wait < milliseconds(0) || *wait > std::chrono::hours(24 * 7))) std::abort();
  }
  return 0;
}

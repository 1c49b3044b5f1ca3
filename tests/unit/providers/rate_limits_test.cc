// Each adapter's RateLimitReset: the wait until a 429's exhausted rate limit resets, from the
// rate-limit headers of its own format only (providers/*/…_rate_limits.cc, rule in
// providers/rate_limit_reset.h).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "providers/provider_adapter.h"

namespace switchyard::providers {
namespace {

using std::chrono::milliseconds;

// 2015-10-21 07:28:00 UTC.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2015) / 10 / 21) + std::chrono::hours(7) +
    std::chrono::minutes(28);

std::optional<milliseconds> Reset(wire::Format format, std::map<std::string, std::string> headers) {
  return AdapterFor(format)->RateLimitReset(
      [&](std::string_view name) -> std::string_view {
        auto it = headers.find(std::string(name));
        return it == headers.end() ? std::string_view{} : std::string_view(it->second);
      },
      kNow);
}
std::optional<milliseconds> OpenAIReset(std::map<std::string, std::string> headers) {
  return Reset(wire::Format::kOpenAI, std::move(headers));
}
std::optional<milliseconds> AnthropicReset(std::map<std::string, std::string> headers) {
  return Reset(wire::Format::kAnthropic, std::move(headers));
}

TEST(RateLimitResetTest, OpenAIStyleDurations) {
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "1s"}}), milliseconds(1'000));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "6m0s"}}), milliseconds(360'000));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "2m59.56s"}}), milliseconds(179'560));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "20ms"}}), milliseconds(20));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "1h2m3s"}}), milliseconds(3'723'000));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "7.66s"}}), milliseconds(7'660));
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "1.5us"}}), milliseconds(1)) << "rounded up";
}

TEST(RateLimitResetTest, TheExhaustedLimitDecides) {
  // Tokens ran out (6 minutes); requests did not (1 second): wait for the tokens.
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "1s"},
                   {"x-ratelimit-remaining-requests", "59"},
                   {"x-ratelimit-reset-tokens", "6m0s"},
                   {"x-ratelimit-remaining-tokens", "0"}}),
            milliseconds(360'000));
  // Requests ran out: the 1 s reset, even though tokens reset later.
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "1s"},
                   {"x-ratelimit-remaining-requests", "0"},
                   {"x-ratelimit-reset-tokens", "6m0s"},
                   {"x-ratelimit-remaining-tokens", "100"}}),
            milliseconds(1'000));
  // Nothing says which: the earliest reset.
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "30s"}, {"x-ratelimit-reset-tokens", "2s"}}),
            milliseconds(2'000));
}

TEST(RateLimitResetTest, AnthropicTimes) {
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-requests-reset", "2015-10-21T07:30:00Z"},
                   {"anthropic-ratelimit-requests-remaining", "0"},
                   {"anthropic-ratelimit-tokens-reset", "2015-10-21T07:28:05Z"},
                   {"anthropic-ratelimit-tokens-remaining", "5000"}}),
            milliseconds(120'000));
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-output-tokens-reset", "2015-10-21T07:28:01.250Z"},
                   {"anthropic-ratelimit-output-tokens-remaining", "0"}}),
            milliseconds(1'250));
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-tokens-reset", "2015-10-21T09:28:10+02:00"}}),
            milliseconds(10'000));
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-tokens-reset", "2015-10-21T07:00:00Z"}}), milliseconds(0))
      << "already reset";
}

TEST(RateLimitResetTest, NothingReadable) {
  EXPECT_EQ(OpenAIReset({}), std::nullopt);
  EXPECT_EQ(AnthropicReset({}), std::nullopt);
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-requests", "soon"},
                         {"x-ratelimit-remaining-requests", "0"}}),
            std::nullopt);
  EXPECT_EQ(OpenAIReset({{"x-ratelimit-reset-tokens", "5"}}), std::nullopt) << "no unit";
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-tokens-reset", "2015-10-21 07:28:00"}}),
            std::nullopt);
}

// Found by tests/fuzz/rate_limit_reset_fuzz.cc (UBSan: signed overflow in system_clock's
// nanoseconds): a reset in year 5022 is not a time, rather than undefined behaviour.
TEST(RateLimitResetTest, AYearTooFarIsUnreadable) {
  EXPECT_EQ(AnthropicReset({{"anthropic-ratelimit-requests-reset", "5022-01-02T03:05:05Z"}}),
            std::nullopt);
}

// A format reads its own headers only: no vendor's table is read for another's answers.
TEST(RateLimitResetTest, EachFormatReadsItsOwnHeaders) {
  const std::map<std::string, std::string> openai = {{"x-ratelimit-reset-tokens", "2s"},
                                                     {"x-ratelimit-remaining-tokens", "0"}};
  const std::map<std::string, std::string> anthropic = {
      {"anthropic-ratelimit-tokens-reset", "2015-10-21T07:28:03Z"},
      {"anthropic-ratelimit-tokens-remaining", "0"}};
  EXPECT_EQ(OpenAIReset(openai), milliseconds(2'000));
  EXPECT_EQ(AnthropicReset(openai), std::nullopt);
  EXPECT_EQ(AnthropicReset(anthropic), milliseconds(3'000));
  EXPECT_EQ(OpenAIReset(anthropic), std::nullopt);
  // Gemini sends no rate-limit headers (its wait is RetryInfo in the body: ProviderError).
  EXPECT_EQ(Reset(wire::Format::kGemini, openai), std::nullopt);
  EXPECT_EQ(Reset(wire::Format::kGemini, anthropic), std::nullopt);
}

}  // namespace
}  // namespace switchyard::providers

// Hand-computed costs, exactly equal: each expected figure is worked out in the comment above it
// from the list price in $ per million tokens (the embedded catalog's values, checked here too).
#include "pricing/cost.h"

#include <gtest/gtest.h>

#include <chrono>

#include "pricing/embedded_catalog.h"

namespace switchyard::pricing {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

canonical::Usage MakeUsage(std::int64_t input, std::int64_t cached, std::int64_t write_5m,
                           std::int64_t write_1h, std::int64_t output, std::int64_t reasoning) {
  canonical::Usage usage;
  usage.input_tokens = input;
  usage.cached_input_tokens = cached;
  usage.cache_write_tokens = write_5m;
  usage.cache_write_1h_tokens = write_1h;
  usage.output_tokens = output;
  usage.reasoning_tokens = reasoning;
  usage.reported = true;
  return usage;
}

std::chrono::system_clock::time_point Day(std::chrono::year_month_day day) {
  return sys_days{day} + 12h;
}

const auto kNow = Day(std::chrono::year{2026} / 11 / 26);

std::optional<Nanos> Price(std::string_view provider, std::string_view model,
                           const canonical::Usage& usage,
                           std::chrono::system_clock::time_point at = kNow) {
  return PriceAttempt(EmbeddedCatalog(), provider, model, usage, at);
}

TEST(PriceAttemptTest, OpenAiCachedAndReasoningTokens) {
  // gpt-4o-mini: input $0.15, cached input $0.075, output $0.60 per million.
  const ModelPrice* price = EmbeddedCatalog().Find("openai", "gpt-4o-mini", kNow);
  ASSERT_NE(price, nullptr);
  EXPECT_EQ(price->base.input, 150'000'000);
  EXPECT_EQ(price->base.cached_input, 75'000'000);
  EXPECT_EQ(price->base.output, 600'000'000);
  EXPECT_EQ(price->base.reasoning, 600'000'000);
  // OpenAI reported prompt_tokens 10,000 of which 4,000 cached, completion_tokens 1,500 of which
  // 500 reasoning: canonical input 6,000 (cached tokens are not input twice), output 1,500. 6,000 ×
  // 0.15 + 4,000 × 0.075 + 1,000 × 0.60 + 500 × 0.60 = 900 + 300 + 600 + 300 = 2,100 $·tokens/M =
  // $0.0021 = 2,100,000 nano-dollars.
  EXPECT_EQ(Price("openai", "gpt-4o-mini", MakeUsage(6'000, 4'000, 0, 0, 1'500, 500)), 2'100'000);
  // The same without the cache: 10,000 × 0.15 + 1,500 × 0.6 = 2,400 → $0.0024.
  EXPECT_EQ(Price("openai", "gpt-4o-mini", MakeUsage(10'000, 0, 0, 0, 1'500, 500)), 2'400'000);
}

TEST(PriceAttemptTest, ReasoningAtItsOwnPriceNotCountedTwice) {
  // perplexity/sonar-deep-research via OpenRouter: input $2, output $8, reasoning $3 per million.
  // 1,000 input, 5,000 output of which 4,000 reasoning:
  // 1,000 × 2 + 1,000 × 8 + 4,000 × 3 = 2,000 + 8,000 + 12,000 = 22,000 → $0.022.
  EXPECT_EQ(Price("openrouter", "perplexity/sonar-deep-research",
                  MakeUsage(1'000, 0, 0, 0, 5'000, 4'000)),
            22'000'000);
  // Synthetic: output $10, reasoning $1 — 100 output tokens of which 100 reasoning cost 100 × 1.
  ModelPrice price;
  price.base.output = 10'000'000'000;
  price.base.reasoning = 1'000'000'000;
  EXPECT_EQ(PriceAttempt(price, MakeUsage(0, 0, 0, 0, 100, 100)), 100'000);
  // Reasoning beyond output (a contract violation) is capped at output: still 100 × 1.
  EXPECT_EQ(PriceAttempt(price, MakeUsage(0, 0, 0, 0, 100, 250)), 100'000);
}

// Defect 5 of issue 11: a provider's 1e30 output tokens were clamped at 2^40 and billed as exact
// ($824,633 for one gpt-4o-mini call). Usage the reader found implausible has no price.
TEST(PriceAttemptTest, ImplausibleUsageHasNoPrice) {
  canonical::Usage usage = MakeUsage(10, 0, 0, 0, canonical::kMaxPlausibleTokens, 0);
  EXPECT_TRUE(Price("openai", "gpt-4o-mini", usage).has_value());
  usage.implausible = "a token count above 2^31";
  EXPECT_EQ(Price("openai", "gpt-4o-mini", usage), std::nullopt);
}

TEST(PriceAttemptTest, AnthropicCacheReadsAndBothCacheWrites) {
  // claude-sonnet-4-5: input $3, cache read $0.30, 5-minute write $3.75, 1-hour write $6,
  // output $15 per million. Anthropic's input_tokens already exclude cache reads and writes.
  // 1,200 × 3 + 50,000 × 0.3 + 10,000 × 3.75 + 2,000 × 6 + 800 × 15
  // = 3,600 + 15,000 + 37,500 + 12,000 + 12,000 = 80,100 → $0.0801.
  canonical::Usage usage = MakeUsage(1'200, 50'000, 10'000, 2'000, 800, 300);
  EXPECT_EQ(Price("anthropic", "claude-sonnet-4-5", usage), 80'100'000);
  // The dated id is listed by the source, at the same price.
  EXPECT_EQ(Price("anthropic", "claude-sonnet-4-5-20250929", usage), 80'100'000);
}

TEST(PriceAttemptTest, AnthropicLongContextTier) {
  // Prompt total 150,000 + 40,000 + 10,000 + 5,000 = 205,000 > 200,000: every token at the tier's
  // prices — input $6, cache read $0.60, 5m write $7.50, 1h write $12, output $22.50.
  // 150,000 × 6 + 40,000 × 0.6 + 10,000 × 7.5 + 5,000 × 12 + 2,000 × 22.5
  // = 900,000 + 24,000 + 75,000 + 60,000 + 45,000 = 1,104,000 → $1.104.
  EXPECT_EQ(
      Price("anthropic", "claude-sonnet-4-5", MakeUsage(150'000, 40'000, 10'000, 5'000, 2'000, 0)),
      1'104'000'000);
  // Exactly 200,000 is not above the threshold: base prices.
  // 150,000 × 3 + 50,000 × 0.3 + 2,000 × 15 = 450,000 + 15,000 + 30,000 = 495,000 → $0.495.
  EXPECT_EQ(Price("anthropic", "claude-sonnet-4-5", MakeUsage(150'000, 50'000, 0, 0, 2'000, 0)),
            495'000'000);
  // 200,001: 150,001 × 6 + 50,000 × 0.6 + 2,000 × 22.5 = 900,006 + 30,000 + 45,000 = 975,006.
  EXPECT_EQ(Price("anthropic", "claude-sonnet-4-5", MakeUsage(150'001, 50'000, 0, 0, 2'000, 0)),
            975'006'000);
}

TEST(PriceAttemptTest, GeminiLongContextTierWithThinking) {
  // gemini-2.5-pro: ≤200k input $1.25, cached $0.125, output $10; >200k $2.50, $0.25, $15.
  // Gemini reported promptTokenCount 250,000 with 100,000 cached, 3,000 candidates and 2,000
  // thoughts (billed as output): canonical input 150,000, cached 100,000, output 5,000.
  // 150,000 × 2.5 + 100,000 × 0.25 + 5,000 × 15 = 375,000 + 25,000 + 75,000 = 475,000 → $0.475.
  EXPECT_EQ(Price("gemini", "gemini-2.5-pro", MakeUsage(150'000, 100'000, 0, 0, 5'000, 2'000)),
            475'000'000);
  // Below the threshold: 100,000 × 1.25 + 50,000 × 0.125 + 5,000 × 10
  // = 125,000 + 6,250 + 50,000 = 181,250 → $0.18125.
  EXPECT_EQ(Price("gemini", "gemini-2.5-pro", MakeUsage(100'000, 50'000, 0, 0, 5'000, 2'000)),
            181'250'000);
}

TEST(PriceAttemptTest, DatedPriceChangeAppliesByRequestTime) {
  // claude-sonnet-5: introductory $2 / $10 until 2026-08-31, then $3 / $15 from 2026-09-01 (UTC).
  canonical::Usage usage = MakeUsage(10'000, 0, 0, 0, 2'000, 0);
  auto last_intro_second = sys_days{std::chrono::year{2026} / 9 / 1} - 1s;
  auto first_new_second = sys_days{std::chrono::year{2026} / 9 / 1};
  // 10,000 × 2 + 2,000 × 10 = 40,000 → $0.04; then 10,000 × 3 + 2,000 × 15 = 60,000 → $0.06.
  EXPECT_EQ(Price("anthropic", "claude-sonnet-5", usage, last_intro_second), 40'000'000);
  EXPECT_EQ(Price("anthropic", "claude-sonnet-5", usage, first_new_second), 60'000'000);
  // gpt-5.6-luna: $1 / $6 before the 2026-07-30 cut, $0.20 / $1.20 from it (UTC days).
  // 100,000 × 1 + 100,000 × 6 = 700,000 → $0.70; 100,000 × 0.2 + 100,000 × 1.2 = 140,000 → $0.14.
  canonical::Usage luna = MakeUsage(100'000, 0, 0, 0, 100'000, 0);
  EXPECT_EQ(Price("openai", "gpt-5.6-luna", luna, Day(std::chrono::year{2026} / 7 / 29)),
            700'000'000);
  EXPECT_EQ(Price("openai", "gpt-5.6-luna", luna, Day(std::chrono::year{2026} / 7 / 30)),
            140'000'000);
  // The new period has its own >272k tier ($0.40 / $1.80):
  // 300,000 × 0.4 + 10,000 × 1.8 = 120,000 + 18,000 = 138,000 → $0.138.
  EXPECT_EQ(Price("openai", "gpt-5.6-luna", MakeUsage(300'000, 0, 0, 0, 10'000, 0)), 138'000'000);
  // o3: $10 / $40 before 2025-06-10, $2 / $8 since.
  // 10,000 × 10 + 1,000 × 40 = 140,000 → $0.14; 10,000 × 2 + 1,000 × 8 = 28,000 → $0.028.
  canonical::Usage o3 = MakeUsage(10'000, 0, 0, 0, 1'000, 600);
  EXPECT_EQ(Price("openai", "o3", o3, Day(std::chrono::year{2025} / 6 / 9)), 140'000'000);
  EXPECT_EQ(Price("openai", "o3", o3, Day(std::chrono::year{2025} / 6 / 10)), 28'000'000);
}

TEST(PriceAttemptTest, RoundsOnceHalfToEven) {
  ModelPrice price;
  price.base.input = 2;
  price.base.output = 2;
  // 250,000 × 2 + 250,000 × 2 = 1,000,000 → exactly 1 nano-dollar (per-class rounding: 0.5 + 0.5
  // would round each to 0).
  EXPECT_EQ(PriceAttempt(price, MakeUsage(250'000, 0, 0, 0, 250'000, 0)), 1);
  // 750,000 × 2 = 1.5 → 2; 1,250,000 × 2 = 2.5 → 2.
  EXPECT_EQ(PriceAttempt(price, MakeUsage(750'000, 0, 0, 0, 0, 0)), 2);
  EXPECT_EQ(PriceAttempt(price, MakeUsage(1'250'000, 0, 0, 0, 0, 0)), 2);
  // A real fractional list price: OpenRouter's Gemini 2.5 Flash Lite cache write is
  // $0.0833333333…/M, held as 83,333,333 nano-dollars per million (rounded half-even once, in the
  // generator). 12 tokens: 12 × 83,333,333 / 1e6 = 999.999996 → 1,000 nano-dollars.
  const ModelPrice* lite =
      EmbeddedCatalog().Find("openrouter", "google/gemini-2.5-flash-lite", kNow);
  ASSERT_NE(lite, nullptr);
  EXPECT_EQ(lite->base.cache_write_5m, 83'333'333);
  EXPECT_EQ(PriceAttempt(*lite, MakeUsage(0, 0, 12, 0, 0, 0)), 1'000);
}

TEST(PriceAttemptTest, UnknownPriceIsUnknownNeverZero) {
  // groq llama-3.3-70b-versatile lists no cache-read price: cache reads make the cost unknown...
  EXPECT_EQ(Price("groq", "llama-3.3-70b-versatile", MakeUsage(1'000, 100, 0, 0, 1'000, 0)),
            std::nullopt);
  // ...but a call without cache reads is priced: 1,000 × 0.59 + 1,000 × 0.79 = 1,380 → $0.00138.
  EXPECT_EQ(Price("groq", "llama-3.3-70b-versatile", MakeUsage(1'000, 0, 0, 0, 1'000, 0)),
            1'380'000);
  // xAI's >128k tier lists no cache-read price: unknown above the threshold only.
  EXPECT_EQ(Price("xai", "grok-4-fast-reasoning", MakeUsage(200'000, 1'000, 0, 0, 10, 0)),
            std::nullopt);
  EXPECT_EQ(Price("xai", "grok-4-fast-reasoning", MakeUsage(100'000, 1'000, 0, 0, 10, 0)),
            // 100,000 × 0.2 + 1,000 × 0.05 + 10 × 0.5 = 20,000 + 50 + 5 = 20,055 → $0.020055.
            20'055'000);
  // An embedding model has no output price.
  EXPECT_EQ(Price("openai", "text-embedding-3-small", MakeUsage(1'000, 0, 0, 0, 0, 0)), 20'000);
  EXPECT_EQ(Price("openai", "text-embedding-3-small", MakeUsage(1'000, 0, 0, 0, 1, 0)),
            std::nullopt);
  // An unknown model, an unknown provider, and a time before any price.
  EXPECT_EQ(Price("openai", "gpt-does-not-exist", MakeUsage(1, 0, 0, 0, 1, 0)), std::nullopt);
  EXPECT_EQ(Price("nowhere", "gpt-4o-mini", MakeUsage(1, 0, 0, 0, 1, 0)), std::nullopt);
  CatalogModel later;
  later.periods.push_back(ModelPrice{sys_days{std::chrono::year{2030} / 1 / 1}, {}, {}});
  EXPECT_EQ(later.PriceAt(kNow), nullptr);
  // No price at all: every class unknown.
  EXPECT_EQ(PriceAttempt(ModelPrice{}, MakeUsage(1, 0, 0, 0, 0, 0)), std::nullopt);
  EXPECT_EQ(PriceAttempt(ModelPrice{}, MakeUsage(0, 0, 0, 0, 0, 0)), 0);
  // Negative counts cannot be priced.
  EXPECT_EQ(Price("openai", "gpt-4o-mini", MakeUsage(-1, 0, 0, 0, 0, 0)), std::nullopt);
}

TEST(PriceAttemptTest, ListedFreeIsZero) {
  EXPECT_EQ(Price("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo-Free",
                  MakeUsage(5'000, 0, 0, 0, 5'000, 0)),
            0);
}

}  // namespace
}  // namespace switchyard::pricing

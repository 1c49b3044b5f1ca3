#include "pricing/price_catalog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace switchyard::pricing {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

std::chrono::system_clock::time_point At(std::chrono::year_month_day day,
                                         std::chrono::seconds time_of_day = 12h) {
  return sys_days{day} + time_of_day;
}

constexpr std::string_view kCatalog = R"({
  "schema": 1, "generated": "2026-11-26",
  "sources": [{"name": "litellm", "repository": "BerriAI/litellm",
               "commit": "00035b69f416be24e2e323c13198d9b7d2d1bdf9", "date": "2026-07-18"},
              {"name": "genai-prices", "repository": "pydantic/genai-prices",
               "commit": "47df840a5ab10bbcffb8e5ac01b9899032245d1b", "date": "2026-08-21"}],
  "models": {
    "acme": {
      "big-1": {
        "mode": "chat", "origin": "litellm", "genai": "ignored", "future_field": [1, 2],
        "caps": {"context_window": 300000, "max_output_tokens": 8192, "tools": true,
                 "vision": false},
        "deprecation_date": "2027-01-31",
        "periods": [
          {"prices": {"input": 2000000000, "output": 10000000000, "reasoning": 10000000000},
           "src": {"reasoning": "=output"}},
          {"from": "2026-09-01",
           "prices": {"input": 3000000000, "cached_input": 300000000, "output": 15000000000},
           "tiers": [{"above": 200000, "prices": {"input": 6000000000, "output": 22500000000}},
                     {"above": 250000, "prices": {"input": 9000000000}}]}]},
      "free-1": {"periods": [{"prices": {"input": 0, "output": 0}}]},
      "unpriced-1": {"mode": "chat", "periods": [{"prices": {}}]}
    },
    "other": {"big-1": {"periods": [{"prices": {"input": 1}}]}}
  }
})";

PriceCatalog ParseOk(std::string_view text) {
  Result<PriceCatalog> parsed = PriceCatalog::Parse(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? std::move(parsed).value() : PriceCatalog{};
}

TEST(PriceCatalogTest, ParsesModelsCapabilitiesAndSources) {
  PriceCatalog catalog = ParseOk(kCatalog);
  EXPECT_EQ(catalog.size(), 4u);
  EXPECT_EQ(catalog.CountModels("acme"), 3u);
  EXPECT_EQ(catalog.CountModels("missing"), 0u);
  EXPECT_EQ(catalog.Providers(), (std::vector<std::string>{"acme", "other"}));
  EXPECT_EQ(catalog.generated(), "2026-11-26");
  ASSERT_EQ(catalog.sources().size(), 2u);
  EXPECT_EQ(catalog.sources()[1].repository, "pydantic/genai-prices");
  EXPECT_EQ(catalog.Describe(),
            "generated 2026-11-26 from litellm BerriAI/litellm@00035b69f416 (2026-07-18), "
            "genai-prices pydantic/genai-prices@47df840a5ab1 (2026-08-21)");

  const CatalogModel* model = catalog.FindModel("acme", "big-1");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->mode, "chat");
  EXPECT_EQ(model->origin, "litellm");
  EXPECT_EQ(model->deprecation_date, sys_days{std::chrono::year{2027} / 1 / 31});
  const Capabilities* caps = catalog.FindCapabilities("acme", "big-1");
  ASSERT_NE(caps, nullptr);
  EXPECT_EQ(caps->context_window, 300'000);
  EXPECT_EQ(caps->max_output_tokens, 8'192);
  EXPECT_EQ(caps->tools, true);
  EXPECT_EQ(caps->vision, false);
  EXPECT_EQ(caps->json_schema, std::nullopt);  // unknown stays unknown
}

TEST(PriceCatalogTest, AppliesThePriceInForceByUtcDay) {
  PriceCatalog catalog = ParseOk(kCatalog);
  const ModelPrice* before =
      catalog.Find("acme", "big-1", At(std::chrono::year{2026} / 8 / 31, 23h + 59min + 59s));
  ASSERT_NE(before, nullptr);
  EXPECT_FALSE(before->effective_from.has_value());
  EXPECT_EQ(before->base.input, 2'000'000'000);
  EXPECT_EQ(before->base.cached_input, std::nullopt);
  const ModelPrice* after = catalog.Find("acme", "big-1", At(std::chrono::year{2026} / 9 / 1, 0s));
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->effective_from, sys_days{std::chrono::year{2026} / 9 / 1});
  EXPECT_EQ(after->base.input, 3'000'000'000);
  EXPECT_EQ(after->base.reasoning, std::nullopt);  // this period lists none
  EXPECT_EQ(catalog.Find("acme", "big-1", At(std::chrono::year{2031} / 1 / 1)), after);
}

TEST(PriceCatalogTest, ChoosesTheTierByPromptTotal) {
  PriceCatalog catalog = ParseOk(kCatalog);
  const ModelPrice* price = catalog.Find("acme", "big-1", At(std::chrono::year{2026} / 10 / 1));
  ASSERT_NE(price, nullptr);
  ASSERT_EQ(price->tiers.size(), 2u);
  EXPECT_EQ(price->ForPrompt(0).input, 3'000'000'000);
  EXPECT_EQ(price->ForPrompt(200'000).input, 3'000'000'000);  // not above the threshold
  EXPECT_EQ(price->ForPrompt(200'001).input, 6'000'000'000);
  EXPECT_EQ(price->ForPrompt(200'001).cached_input, std::nullopt);  // the tier does not price it
  EXPECT_EQ(price->ForPrompt(250'000).output, 22'500'000'000);
  EXPECT_EQ(price->ForPrompt(250'001).input, 9'000'000'000);
  EXPECT_EQ(price->ForPrompt(250'001).output, std::nullopt);
}

TEST(PriceCatalogTest, ZeroIsAPriceAbsentIsUnknown) {
  PriceCatalog catalog = ParseOk(kCatalog);
  const ModelPrice* free = catalog.Find("acme", "free-1", At(std::chrono::year{2026} / 1 / 1));
  ASSERT_NE(free, nullptr);
  EXPECT_EQ(free->base.input, 0);
  const ModelPrice* unpriced =
      catalog.Find("acme", "unpriced-1", At(std::chrono::year{2026} / 1 / 1));
  ASSERT_NE(unpriced, nullptr);
  EXPECT_EQ(unpriced->base, PriceSet{});
}

TEST(PriceCatalogTest, LookupIsExact) {
  PriceCatalog catalog = ParseOk(kCatalog);
  auto now = At(std::chrono::year{2026} / 11 / 26);
  EXPECT_NE(catalog.Find("acme", "big-1", now), nullptr);
  EXPECT_EQ(catalog.Find("acme", "big-1-20260101", now), nullptr);  // no invented date suffix
  EXPECT_EQ(catalog.Find("acme", "BIG-1", now), nullptr);
  EXPECT_EQ(catalog.Find("acme", "acme/big-1", now), nullptr);
  EXPECT_EQ(catalog.Find("ACME", "big-1", now), nullptr);
  EXPECT_EQ(catalog.Find("other", "big-1", now)->base.input, 1);  // providers are separate
}

TEST(PriceCatalogTest, PutAndMergeFromReplaceWholeModels) {
  PriceCatalog catalog = ParseOk(kCatalog);
  PriceCatalog overrides = ParseOk(R"({"models": {"acme": {
      "big-1": {"origin": "config", "periods": [{"prices": {"input": 5, "output": 7}}]},
      "new-1": {"periods": [{"prices": {"input": 9}}]}}}})");
  catalog.MergeFrom(overrides);
  auto now = At(std::chrono::year{2026} / 11 / 26);
  EXPECT_EQ(catalog.Find("acme", "big-1", now)->base.input, 5);
  EXPECT_EQ(catalog.FindModel("acme", "big-1")->periods.size(), 1u);
  EXPECT_EQ(catalog.FindModel("acme", "big-1")->origin, "config");
  EXPECT_EQ(catalog.Find("acme", "new-1", now)->base.input, 9);
  EXPECT_EQ(catalog.generated(), "2026-11-26");  // the base catalog's provenance is kept

  CatalogModel added;
  added.periods.push_back(ModelPrice{});
  added.periods.back().base.output = 42;
  catalog.Put("local", "llama", added);
  EXPECT_EQ(catalog.Find("local", "llama", now)->base.output, 42);
}

TEST(PriceCatalogTest, RejectsMalformedCatalogs) {
  struct Case {
    std::string_view json;
    std::string_view error_contains;
  };
  const Case cases[] = {
      {"not json", "not valid JSON"},
      {"[]", "(root): expected an object"},
      {R"({"generated": "x"})", "models: missing"},
      {R"({"models": {"a": {"m": {"periods": [{"prices": {"input": -1}}]}}}})",
       "models.a.m.periods[0].prices.input: expected a non-negative integer"},
      {R"({"models": {"a": {"m": {"periods": [{"prices": {"input": 0.5}}]}}}})",
       "prices.input: expected a non-negative integer"},
      {R"({"models": {"a": {"m": {"periods": [{"from": "2026-02-30", "prices": {}}]}}}})",
       "periods[0].from: expected a date YYYY-MM-DD"},
      {R"({"models": {"a": {"m": {"periods": [{"prices": {}}, {"prices": {}}]}}}})",
       "periods[1].from: expected a date after the previous period's"},
      {R"({"models": {"a": {"m": {"periods": [{"from": "2026-05-01", "prices": {}},
                                               {"from": "2026-04-01", "prices": {}}]}}}})",
       "periods[1].from"},
      {R"({"models": {"a": {"m": {"periods": [{"prices": {}, "tiers": [
           {"above": 200000, "prices": {}}, {"above": 128000, "prices": {}}]}]}}}})",
       "tiers[1].above: expected a threshold above the previous tier's"},
      {R"({"models": {"a": {"m": {"caps": {"tools": "yes"}}}}})",
       "caps.tools: expected true or false"},
  };
  for (const Case& c : cases) {
    Result<PriceCatalog> parsed = PriceCatalog::Parse(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_NE(parsed.error().message.find(c.error_contains), std::string::npos)
        << parsed.error().message;
  }
}

}  // namespace
}  // namespace switchyard::pricing

#include "pricing/embedded_catalog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::pricing {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + 12h;

TEST(EmbeddedCatalogTest, ParsesWithProvenance) {
  EXPECT_EQ(EmbeddedCatalogError(), "");
  const PriceCatalog& catalog = EmbeddedCatalog();
  EXPECT_GT(catalog.size(), 1000u);
  EXPECT_FALSE(catalog.generated().empty());
  ASSERT_EQ(catalog.sources().size(), 2u);
  EXPECT_EQ(catalog.sources()[0].name, "litellm");
  EXPECT_EQ(catalog.sources()[0].commit, "00035b69f416be24e2e323c13198d9b7d2d1bdf9");
  EXPECT_EQ(catalog.sources()[1].name, "genai-prices");
  EXPECT_EQ(catalog.sources()[1].commit, "47df840a5ab10bbcffb8e5ac01b9899032245d1b");
  EXPECT_NE(catalog.Describe().find("BerriAI/litellm@00035b69f416 (2026-07-18)"),
            std::string::npos);
  std::string_view json = EmbeddedCatalogJson();
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '\n');
}

TEST(EmbeddedCatalogTest, CoversEveryProvider) {
  // Lower bounds well under the generated counts, so that a refresh that loses a provider's list
  // fails here.
  const std::map<std::string, std::size_t> minimum = {
      {"openai", 100},     {"anthropic", 20}, {"gemini", 30},    {"groq", 10},
      {"cerebras", 5},     {"mistral", 40},   {"deepinfra", 50}, {"xai", 30},
      {"openrouter", 500}, {"together", 30},  {"fireworks", 200}};
  for (const auto& [provider, count] : minimum) {
    EXPECT_GT(EmbeddedCatalog().CountModels(provider), count) << provider;
  }
}

struct Expected {
  std::string_view provider;
  std::string_view model;
  Nanos input;
  Nanos output;
};

TEST(EmbeddedCatalogTest, ListPricesPerProvider) {
  // $/M from the sources, as nano-dollars per million tokens.
  const Expected cases[] = {
      {"openai", "gpt-4o-mini", 150'000'000, 600'000'000},
      {"anthropic", "claude-sonnet-4-5", 3'000'000'000, 15'000'000'000},
      {"gemini", "gemini-2.5-flash", 300'000'000, 2'500'000'000},
      {"groq", "llama-3.3-70b-versatile", 590'000'000, 790'000'000},
      {"cerebras", "gpt-oss-120b", 350'000'000, 750'000'000},
      {"mistral", "mistral-large-latest", 500'000'000, 1'500'000'000},
      {"deepinfra", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 130'000'000, 390'000'000},
      {"xai", "grok-4", 3'000'000'000, 15'000'000'000},
      {"openrouter", "anthropic/claude-sonnet-4.5", 3'000'000'000, 15'000'000'000},
      {"together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 880'000'000, 880'000'000},
      {"fireworks", "accounts/fireworks/models/gpt-oss-120b", 150'000'000, 600'000'000},
  };
  for (const Expected& e : cases) {
    const ModelPrice* price = EmbeddedCatalog().Find(e.provider, e.model, kNow);
    ASSERT_NE(price, nullptr) << e.provider << "/" << e.model;
    EXPECT_EQ(price->base.input, e.input) << e.provider << "/" << e.model;
    EXPECT_EQ(price->base.output, e.output) << e.provider << "/" << e.model;
    EXPECT_EQ(price->base.reasoning, e.output) << "reasoning defaults to output: " << e.model;
  }
}

TEST(EmbeddedCatalogTest, CacheAndCapabilityFacts) {
  const PriceCatalog& catalog = EmbeddedCatalog();
  // Anthropic: 1-hour writes at 2× input, including the models whose LiteLLM value was wrong
  // (cache reads are not always 0.1× input: Claude 3 Haiku's is $0.03 against $0.25).
  for (std::string_view model : {"claude-sonnet-4-5", "claude-3-haiku-20240307",
                                 "claude-3-opus-20240229", "claude-haiku-4-5"}) {
    const ModelPrice* price = catalog.Find("anthropic", model, kNow);
    ASSERT_NE(price, nullptr) << model;
    ASSERT_TRUE(price->base.input && price->base.cache_write_1h) << model;
    EXPECT_EQ(*price->base.cache_write_1h, 2 * *price->base.input) << model;
  }
  const Capabilities* caps = catalog.FindCapabilities("openai", "gpt-4o-mini");
  ASSERT_NE(caps, nullptr);
  EXPECT_EQ(caps->context_window, 128'000);
  EXPECT_EQ(caps->max_output_tokens, 16'384);
  EXPECT_EQ(caps->tools, true);
  EXPECT_EQ(caps->vision, true);
  EXPECT_EQ(caps->json_schema, true);
  EXPECT_EQ(catalog.FindModel("openai", "text-embedding-3-small")->mode, "embedding");
  // Ids are the provider's own, exactly: no alias or suffix is invented.
  EXPECT_NE(catalog.FindModel("anthropic", "claude-sonnet-4-5-20250929"), nullptr);
  EXPECT_EQ(catalog.FindModel("openai", "gpt-4o-mini-2099-01-01"), nullptr);
  EXPECT_EQ(catalog.FindModel("openai", "openai/gpt-4o-mini"), nullptr);
  EXPECT_EQ(catalog.FindModel("groq", "groq/llama-3.3-70b-versatile"), nullptr);
  EXPECT_EQ(catalog.FindModel("gemini", "gemini/gemini-2.5-flash"), nullptr);
}

TEST(EmbeddedCatalogTest, SameInstanceFromEveryThread) {
  std::vector<const PriceCatalog*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &EmbeddedCatalog(); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const PriceCatalog* catalog : seen) EXPECT_EQ(catalog, &EmbeddedCatalog());
}

}  // namespace
}  // namespace switchyard::pricing

namespace switchyard::pricing {
namespace {

TEST(EmbeddedCatalogModelsTest, ListsCurrentModelsOfAProviderSorted) {
  const std::vector<std::string> ids = EmbeddedCatalog().CurrentModelIds("openai");
  ASSERT_FALSE(ids.empty());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_NE(std::find(ids.begin(), ids.end(), "gpt-4o-mini"), ids.end());
  EXPECT_TRUE(EmbeddedCatalog().CurrentModelIds("no-such-provider").empty());
}

}  // namespace
}  // namespace switchyard::pricing

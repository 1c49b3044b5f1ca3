#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::HasProblem;
using testing_util::Load;

TEST(PricesConfigTest, ReadsUsdPerMillionExactlyAsNanos) {
  const LoadResult result = Load(R"(
providers:
  local: { kind: openai, base_url: "http://127.0.0.1:9/v1" }
prices:
  local/llama-3.1-8b: { input: 0.05, cached_input: 0.000000001, output: "12.5" }
)");
  ASSERT_TRUE(result.config) << Dump(result);
  ASSERT_EQ(result.config->prices.size(), 1u);
  const PriceOverride& price = result.config->prices[0];
  EXPECT_EQ(price.provider, "local");
  EXPECT_EQ(price.model, "llama-3.1-8b");
  EXPECT_EQ(price.input, 50'000'000);
  EXPECT_EQ(price.cached_input, 1);
  EXPECT_EQ(price.output, 12'500'000'000);
  EXPECT_FALSE(price.reasoning.has_value());
  EXPECT_EQ(price.line, 5);
}

TEST(PricesConfigTest, ModelPartMayContainSlashes) {
  const LoadResult result = Load(R"(
providers:
  openrouter: {}
prices:
  openrouter/meta-llama/llama-3-8b: { input: 1 }
)");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->prices[0].model, "meta-llama/llama-3-8b");
  EXPECT_EQ(result.config->prices[0].input, 1'000'000'000);
}

TEST(PricesConfigTest, RejectsBadPricesWithTheirLines) {
  const LoadResult result = Load(R"(
providers:
  local: { kind: openai, base_url: "http://127.0.0.1:9/v1" }
prices:
  local/a: { input: -1 }
  local/b: { input: 0.0000000001 }
  local/c: { input: 1e-6 }
  local/d: { inputs: 1 }
  nowhere/e: { input: 1 }
  justamodel: { input: 1 }
  local/f: {}
)");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 5, "USD per million tokens")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 6, "at most 9 places")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 7, "USD per million tokens")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 8, "unknown key 'inputs'")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 9, "not configured")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 10, "provider/model")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 11, "sets no price")) << Dump(result);
}

}  // namespace
}  // namespace switchyard::config

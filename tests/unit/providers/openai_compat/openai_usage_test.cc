#include "providers/openai_compat/openai_usage.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace switchyard::providers::openai_compat {
namespace {

canonical::Usage Parse(std::string_view json) { return UsageFromJson(boost::json::parse(json)); }

TEST(OpenAIUsageTest, AbsurdCountsAreClampedNotOverflowed) {
  // Found by the fuzzer: a count past int64 (parsed as a double) must not overflow.
  const canonical::Usage usage = Parse(
      R"({"prompt_tokens":5,"completion_tokens":1e300,
          "prompt_tokens_details":{"cached_tokens":15555555555555555555555}})");
  EXPECT_EQ(usage.input_tokens, 0);
  EXPECT_GT(usage.cached_input_tokens, 0);
  EXPECT_GT(usage.output_tokens, 0);
  EXPECT_LT(usage.output_tokens, std::int64_t{1} << 50);
}

TEST(OpenAIUsageTest, NegativeCountsBecomeZero) {
  const canonical::Usage usage = Parse(R"({"prompt_tokens":-7,"completion_tokens":-1.5})");
  EXPECT_EQ(usage.input_tokens, 0);
  EXPECT_EQ(usage.output_tokens, 0);
  EXPECT_TRUE(usage.reported);
}

}  // namespace
}  // namespace switchyard::providers::openai_compat

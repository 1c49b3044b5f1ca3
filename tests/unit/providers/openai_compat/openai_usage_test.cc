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

void ExpectSameUsage(const canonical::Usage& a, const canonical::Usage& b, std::string_view json) {
  EXPECT_EQ(a.reported, b.reported) << json;
  EXPECT_EQ(a.input_tokens, b.input_tokens) << json;
  EXPECT_EQ(a.cached_input_tokens, b.cached_input_tokens) << json;
  EXPECT_EQ(a.cache_write_tokens, b.cache_write_tokens) << json;
  EXPECT_EQ(a.output_tokens, b.output_tokens) << json;
  EXPECT_EQ(a.reasoning_tokens, b.reasoning_tokens) << json;
}

// The skimmed reader (the request path's) and the DOM reader (the translators') agree on every
// valid usage object.
TEST(OpenAIUsageTest, TextReaderAgreesWithTheDomReader) {
  for (std::string_view json : {
           R"({"prompt_tokens":24,"completion_tokens":7,"total_tokens":31})",
           R"({"prompt_tokens":1000,"completion_tokens":50,"prompt_tokens_details":
               {"cached_tokens":600,"audio_tokens":0},"completion_tokens_details":
               {"reasoning_tokens":20,"audio_tokens":0}})",
           R"({"prompt_tokens":100,"prompt_tokens_details":{"cached_tokens":30,
               "cache_write_tokens":20}})",
           R"({"prompt_tokens":5,"completion_tokens":1e300,
               "prompt_tokens_details":{"cached_tokens":15555555555555555555555}})",
           R"({"prompt_tokens":-7,"completion_tokens":-1.5})",
           R"({"prompt_tokens":7.9,"completion_tokens":"12","prompt_tokens_details":null,
               "completion_tokens_details":[1,2]})",
           R"({"prompt_tokens":null,"completion_tokens":true,"x":{"prompt_tokens":9}})",
           R"({})",
       }) {
    ExpectSameUsage(UsageFromText(json), Parse(json), json);
  }
}

TEST(OpenAIUsageTest, TextThatIsNotAWholeObjectIsNotReported) {
  for (std::string_view json :
       {"null", "[]", "12", R"({"prompt_tokens":1)", R"({"prompt_tokens":1} x)",
        R"({"prompt_tokens":1,"prompt_tokens_details":{"cached_tokens":1})"}) {
    EXPECT_FALSE(UsageFromText(json).reported) << json;
  }
}

TEST(OpenAIUsageTest, TopLevelUsageIgnoresNestedUsage) {
  const canonical::Usage usage = TopLevelUsage(
      R"({"x_groq":{"usage":{"prompt_tokens":99}},"choices":[],"usage":{"prompt_tokens":3}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 3);
  EXPECT_FALSE(TopLevelUsage(R"({"x_groq":{"usage":{"prompt_tokens":99}}})").reported);
  EXPECT_FALSE(TopLevelUsage(R"({"usage":null})").reported);
}

}  // namespace
}  // namespace switchyard::providers::openai_compat

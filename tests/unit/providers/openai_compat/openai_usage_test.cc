#include "providers/openai_compat/openai_usage.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <initializer_list>

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

// Defect 5 of issue 11: 1e30, negative or cached-above-prompt counts were clamped at 2^40 and
// billed as exact. Both readers clamp into [0, 2^31] and say why the usage cannot be right.
TEST(OpenAIUsageTest, ImplausibleCountsAreMarkedWithWhy) {
  struct Case {
    std::string_view json;
    std::string_view why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"prompt_tokens":10,"completion_tokens":1e30})", "a token count above 2^31"},
           {R"({"prompt_tokens":10,"completion_tokens":99999999999999999999999})",
            "a token count above 2^31"},
           {R"({"prompt_tokens":4294967296,"completion_tokens":1})", "a token count above 2^31"},
           {R"({"prompt_tokens":-5,"completion_tokens":3})", "a negative token count"},
           {R"({"prompt_tokens":10,"completion_tokens":2.5})", "a fractional token count"},
           {R"({"prompt_tokens":10,"completion_tokens":3,
               "prompt_tokens_details":{"cached_tokens":11}})",
            "cached tokens above the prompt tokens"},
           {R"({"prompt_tokens":10,"completion_tokens":3,
               "completion_tokens_details":{"reasoning_tokens":4}})",
            "reasoning tokens above the output tokens"},
       }) {
    for (const canonical::Usage& usage : {UsageFromText(c.json), Parse(c.json)}) {
      ASSERT_NE(usage.implausible, nullptr) << c.json;
      EXPECT_EQ(std::string_view(usage.implausible), c.why) << c.json;
      EXPECT_TRUE(usage.reported) << c.json;
      for (std::int64_t count : {usage.input_tokens, usage.cached_input_tokens,
                                 usage.output_tokens, usage.reasoning_tokens}) {
        EXPECT_GE(count, 0) << c.json;
        EXPECT_LE(count, canonical::kMaxPlausibleTokens) << c.json;
      }
    }
  }
}

TEST(OpenAIUsageTest, PlausibleCountsAreNotMarked) {
  for (std::string_view json : {
           R"({"prompt_tokens":1000,"completion_tokens":50,"prompt_tokens_details":
               {"cached_tokens":1000},"completion_tokens_details":{"reasoning_tokens":50}})",
           R"({"prompt_tokens":2147483648,"completion_tokens":12.0})",
           R"({"prompt_tokens":null,"completion_tokens":"12"})",
       }) {
    EXPECT_EQ(UsageFromText(json).implausible, nullptr) << json;
    EXPECT_EQ(Parse(json).implausible, nullptr) << json;
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

#include "providers/provider_error.h"

#include <gtest/gtest.h>

#include <string>

#include "providers/anthropic/anthropic_error_parser.h"
#include "providers/gemini/gemini_error_parser.h"
#include "providers/openai_compat/openai_error_parser.h"

namespace switchyard::providers {
namespace {

TEST(ClassifyStatusTest, RequestErrorsAreFatal) {
  for (int status : {400, 405, 413, 415, 422}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kFatal) << status;
  }
}

TEST(ClassifyStatusTest, TargetErrorsFallBack) {
  for (int status : {401, 402, 403, 404}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kFallBack) << status;
  }
}

TEST(ClassifyStatusTest, TransientErrorsAreRetryable) {
  for (int status : {408, 409, 429, 500, 502, 503, 504, 529, 599}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kRetryable) << status;
  }
}

// Issue 11 defect 3: a provider may quote the key it refused in any field of its error, not only
// the message; every parser's result goes through Redacted before anything reads it.
constexpr std::string_view kKey = "sk-echo-0123456789abcdefKEYCORE";

void ExpectNoKey(const ProviderError& error) {
  for (const std::string* text : {&error.message, &error.type, &error.code}) {
    EXPECT_EQ(text->find("KEYCORE"), std::string::npos) << *text;
    EXPECT_EQ(text->find("sk-"), std::string::npos) << *text;
  }
}

TEST(RedactedTest, EveryFieldOfEveryFormatsErrorIsRedacted) {
  const std::string key(kKey);
  const std::string openai = R"({"error":{"message":"key )" + key + R"( revoked","type":"Bearer )" +
                             key + R"(","code":")" + key + R"(","param":")" + key + R"("}})";
  const std::string anthropic = R"({"type":"error","error":{"type":")" + key +
                                R"(","message":"Bearer )" + key + R"("}})";
  const std::string gemini = R"({"error":{"code":400,"message":")" + key +
                             R"(","status":")" + key + R"(","details":[{"reason":")" + key +
                             R"("}]}})";
  for (const ProviderError& raw :
       {openai_compat::ParseOpenAIError(401, openai),
        anthropic::ParseAnthropicError(401, anthropic), gemini::ParseGeminiError(400, gemini)}) {
    const ProviderError redacted = Redacted(raw, kKey);
    ExpectNoKey(redacted);
    EXPECT_EQ(redacted.status, raw.status);
    EXPECT_EQ(redacted.error_class, raw.error_class);
  }
  // The parsers alone keep the key: the redaction is what removes it.
  EXPECT_NE(openai_compat::ParseOpenAIError(401, openai).code.find("KEYCORE"), std::string::npos);
}

TEST(RedactedTest, TextWithoutAKeyIsUnchanged) {
  ProviderError error;
  error.message = "Rate limit reached for gpt-4o-mini";
  error.type = "rate_limit_error";
  error.code = "rate_limit_exceeded";
  const ProviderError redacted = Redacted(error, kKey);
  EXPECT_EQ(redacted.message, error.message);
  EXPECT_EQ(redacted.type, error.type);
  EXPECT_EQ(redacted.code, error.code);
}

}  // namespace
}  // namespace switchyard::providers

#include "providers/openai_compat/openai_error_parser.h"

#include <gtest/gtest.h>

#include "providers/openai_compat/openai_adapter.h"

namespace switchyard::providers::openai_compat {
namespace {

// Through the adapter, as the gateway calls it.
ProviderError Parse(int status, std::string_view body) {
  return OpenAIAdapter().ParseError(status, body);
}

TEST(OpenAIErrorParserTest, NestedErrorObject) {
  const ProviderError error =
      Parse(400, R"({"error":{"message":"Invalid 'messages'","type":"invalid_request_error",)"
                 R"("param":"messages","code":"invalid_value"}})");
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.message, "Invalid 'messages'");
  EXPECT_EQ(error.type, "invalid_request_error");
  EXPECT_EQ(error.code, "invalid_value");
  EXPECT_EQ(error.error_class, ErrorClass::kFatal);
}

TEST(OpenAIErrorParserTest, NestedErrorObjectWithNumericAndNullCodes) {
  const ProviderError numeric =
      Parse(502, R"({"error":{"code":502,"message":"model down","metadata":{"x":1}}})");
  EXPECT_EQ(numeric.message, "model down");
  EXPECT_EQ(numeric.code, "502");
  EXPECT_TRUE(numeric.type.empty());

  const ProviderError null_code =
      Parse(401, R"({"error":{"message":"bad key","type":"invalid_request_error","code":null}})");
  EXPECT_EQ(null_code.message, "bad key");
  EXPECT_TRUE(null_code.code.empty());
}

TEST(OpenAIErrorParserTest, ErrorAsPlainString) {
  const ProviderError error =
      Parse(400, R"({"error":"Incorrect API key provided","code":"invalid_api_key"})");
  EXPECT_EQ(error.message, "Incorrect API key provided");
  EXPECT_EQ(error.code, "invalid_api_key");

  EXPECT_EQ(Parse(500, R"({"error":"text"})").message, "text");
}

TEST(OpenAIErrorParserTest, TopLevelMistralShape) {
  const ProviderError error =
      Parse(422, R"({"object":"error","message":"Invalid model: x","type":"invalid_request_error",)"
                 R"("param":null,"code":"3230"})");
  EXPECT_EQ(error.message, "Invalid model: x");
  EXPECT_EQ(error.type, "invalid_request_error");
  EXPECT_EQ(error.code, "3230");
  EXPECT_EQ(error.error_class, ErrorClass::kFatal);
}

TEST(OpenAIErrorParserTest, DetailString) {
  const ProviderError error = Parse(401, R"({"detail":"x"})");
  EXPECT_EQ(error.message, "x");
  EXPECT_EQ(error.error_class, ErrorClass::kFallBack);
}

TEST(OpenAIErrorParserTest, DetailValidationList) {
  const ProviderError error = Parse(
      422,
      R"({"detail":[{"loc":["body","messages"],"msg":"y","type":"missing"},{"msg":"second"}]})");
  EXPECT_EQ(error.message, "y");
}

TEST(OpenAIErrorParserTest, FireworksFault) {
  const ProviderError error =
      Parse(503, R"({"fault":{"faultstring":"z","detail":{"errorcode":"messaging.adaptors"}}})");
  EXPECT_EQ(error.message, "z");
  EXPECT_EQ(error.error_class, ErrorClass::kRetryable);
}

TEST(OpenAIErrorParserTest, NonJsonBodyGetsAMessageNamingTheStatus) {
  const ProviderError error = Parse(502, "<html><body>Bad Gateway</body></html>");
  EXPECT_EQ(error.status, 502);
  EXPECT_NE(error.message.find("502"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("<html>"), std::string::npos) << error.message;
  EXPECT_EQ(error.error_class, ErrorClass::kRetryable);

  EXPECT_NE(Parse(503, "").message.find("503"), std::string::npos);
  // Valid JSON of an unknown shape gets the same fallback message.
  EXPECT_NE(Parse(500, R"({"unexpected":true})").message.find("500"), std::string::npos);
  EXPECT_NE(Parse(500, R"(["a"])").message.find("500"), std::string::npos);
  EXPECT_NE(Parse(500, R"({"error":{"message":""}})").message.find("500"), std::string::npos);
}

TEST(OpenAIErrorParserTest, QuotaExhaustionFallsBack) {
  const ProviderError by_code = Parse(
      429, R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota",)"
           R"("param":null,"code":"insufficient_quota"}})");
  EXPECT_EQ(by_code.error_class, ErrorClass::kFallBack);

  const ProviderError by_type =
      Parse(429, R"({"error":{"message":"quota","type":"insufficient_quota","code":null}})");
  EXPECT_EQ(by_type.error_class, ErrorClass::kFallBack);
}

TEST(OpenAIErrorParserTest, PlainRateLimitIsRetryable) {
  const ProviderError error =
      Parse(429, R"({"error":{"message":"Rate limit reached","type":"requests",)"
                 R"("code":"rate_limit_exceeded"}})");
  EXPECT_EQ(error.error_class, ErrorClass::kRetryable);
  EXPECT_EQ(error.message, "Rate limit reached");
}

TEST(OpenAIErrorParserTest, QuotaCodeOnAnotherStatusKeepsTheStatusClass) {
  EXPECT_EQ(Parse(400, R"({"error":{"message":"q","code":"insufficient_quota"}})").error_class,
            ErrorClass::kFatal);
}

TEST(OpenAIErrorParserTest, ClassByStatus) {
  EXPECT_EQ(Parse(400, "{}").error_class, ErrorClass::kFatal);
  EXPECT_EQ(Parse(401, "{}").error_class, ErrorClass::kFallBack);
  EXPECT_EQ(Parse(404, "{}").error_class, ErrorClass::kFallBack);
  EXPECT_EQ(Parse(500, "{}").error_class, ErrorClass::kRetryable);
  EXPECT_EQ(Parse(503, "{}").error_class, ErrorClass::kRetryable);
  EXPECT_EQ(Parse(529, "{}").error_class, ErrorClass::kRetryable);
}

TEST(OpenAIErrorParserTest, ContextLengthErrorsAreMarked) {
  const ProviderError openai = Parse(
      400, R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, )"
           R"(your messages resulted in 130412 tokens. Please reduce the length of the messages.",)"
           R"("type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})");
  EXPECT_TRUE(openai.context_length);
  EXPECT_EQ(openai.error_class, ErrorClass::kFatal) << "still not a reason to fall back by itself";
  EXPECT_EQ(openai.code, "context_length_exceeded");
  // A compatible server (vLLM) that sends only the message.
  EXPECT_TRUE(Parse(400, R"({"object":"error","message":"This model's maximum context length is )"
                         R"(4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError"})")
                  .context_length);
  EXPECT_FALSE(Parse(400, R"({"error":{"message":"Invalid 'messages'","code":"invalid_value"}})")
                   .context_length);
  EXPECT_FALSE(Parse(413, "{}").context_length);
  EXPECT_FALSE(Parse(500, R"({"error":{"message":"x","code":"context_length_exceeded"}})")
                   .context_length)
      << "a server error stays a server error";
}

}  // namespace
}  // namespace switchyard::providers::openai_compat

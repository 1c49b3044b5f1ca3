#include "providers/gemini/gemini_adapter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>

#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "json/object_scan.h"
#include "providers/gemini/gemini_error_parser.h"
#include "hosts/host_profile.h"

namespace switchyard::providers::gemini {
namespace {

std::optional<std::string> HeaderValue(const http::UpstreamRequest& request, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.headers) {
    if (key == name) {
      EXPECT_FALSE(found.has_value()) << name << " sent twice";
      found = value;
    }
  }
  return found;
}

class GeminiAdapterTest : public ::testing::Test {
 protected:
  GeminiAdapterTest() {
    provider_.name = "gemini";
    provider_.kind = wire::Format::kGemini;
    provider_.profile = hosts::FindKnownHost("gemini");
    provider_.headers["x-extra"] = "1";
    endpoint_ = *http::ParseUpstreamEndpoint(std::string(provider_.profile->default_base_url));
    target_.provider = &provider_;
    target_.model = "gemini-2.5-flash";
    target_.api_key = "AIza-KEY";
    target_.endpoint = &endpoint_;
  }

  canonical::ChatRequest Request() const {
    canonical::ChatRequest request;
    request.dialect = wire::Format::kOpenAI;
    canonical::Message user;
    user.content.push_back(canonical::ContentPart{});
    user.content.back().text = "hi";
    request.messages.push_back(user);
    return request;
  }

  config::ProviderConfig provider_;
  http::UpstreamEndpoint endpoint_;
  UpstreamTarget target_;
  GeminiAdapter adapter_;
};

TEST_F(GeminiAdapterTest, IsRegisteredForItsWireFormat) {
  const ProviderAdapter* adapter = AdapterFor(wire::Format::kGemini);
  ASSERT_NE(adapter, nullptr);
  EXPECT_EQ(adapter->wire_format(), wire::Format::kGemini);
}

TEST_F(GeminiAdapterTest, EncodeRequestBuildsTheGenerateContentCall) {
  canonical::ChatRequest request = Request();
  request.extra["seed"] = 3;
  request.extra["store"] = true;
  request.headers = {{"anthropic-beta", "a"}, {"x-stainless-retry-count", "0"}};
  target_.params_json = R"({"safetySettings":[],"model":"ignored"})";
  auto encoded = adapter_.EncodeRequest(request, target_);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  const http::UpstreamRequest& upstream = encoded->upstream;
  EXPECT_EQ(upstream.method, "POST");
  EXPECT_EQ(upstream.target, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(HeaderValue(upstream, "x-goog-api-key"), "AIza-KEY");
  EXPECT_EQ(HeaderValue(upstream, "Authorization"), std::nullopt);
  EXPECT_EQ(HeaderValue(upstream, "anthropic-beta"), std::nullopt);
  EXPECT_EQ(HeaderValue(upstream, "x-stainless-retry-count"), std::nullopt);
  EXPECT_EQ(HeaderValue(upstream, "Accept"), "application/json");
  EXPECT_EQ(HeaderValue(upstream, "x-extra"), "1");
  EXPECT_EQ(upstream.target.find("key="), std::string::npos);
  const boost::json::value body = boost::json::parse(upstream.body);
  EXPECT_FALSE(body.as_object().contains("model"));
  EXPECT_TRUE(body.at("safetySettings").as_array().empty());  // the route's params are merged
  EXPECT_EQ(body.at("generationConfig").at("seed"), 3);
  EXPECT_EQ(body.at("contents").at(0).at("parts").at(0).at("text"), "hi");
  EXPECT_EQ(encoded->dropped_params, std::vector<std::string>{"store"});
}

TEST_F(GeminiAdapterTest, StreamsUseServerSentEventsAndTheModelsPrefixIsStripped) {
  canonical::ChatRequest request = Request();
  request.stream = true;
  target_.model = "models/gemini-2.5-pro";
  auto encoded = adapter_.EncodeRequest(request, target_);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->upstream.target, "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
  EXPECT_EQ(HeaderValue(encoded->upstream, "Accept"), "text/event-stream");
  EXPECT_FALSE(boost::json::parse(encoded->upstream.body).as_object().contains("stream"));
}

TEST_F(GeminiAdapterTest, ACustomProviderWithoutAProfileStillUsesTheGoogleKeyHeader) {
  provider_.profile = nullptr;
  auto encoded = adapter_.EncodeRequest(Request(), target_);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(HeaderValue(encoded->upstream, "x-goog-api-key"), "AIza-KEY");
  target_.api_key = "";
  encoded = adapter_.EncodeRequest(Request(), target_);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(HeaderValue(encoded->upstream, "x-goog-api-key"), std::nullopt);
}

TEST(GeminiPathTest, ModelNamesCannotAddPathsOrQueries) {
  EXPECT_EQ(GeminiPath("gemini-2.5-flash", false), "/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(GeminiPath("a/b?c=d", true), "/models/a%2Fb%3Fc%3Dd:streamGenerateContent?alt=sse");
}

TEST_F(GeminiAdapterTest, ARefusedRequestNamesTheField) {
  canonical::ChatRequest request = Request();
  request.messages[0].content[0].kind = canonical::ContentPart::Kind::kImageUrl;
  request.messages[0].content[0].url = "https://example.com/a.png";
  auto encoded = adapter_.EncodeRequest(request, target_);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().param, "messages[0].content[0].image_url");
  EXPECT_EQ(encoded.error().http_status, 400);
}

TEST_F(GeminiAdapterTest, ThereIsNoPassthrough) {
  const std::string body = R"({"contents":[]})";
  auto scan = json::ScanObject(body);
  ASSERT_TRUE(scan.ok());
  PassthroughRequest request;
  request.body = body;
  request.scan = &*scan;
  auto upstream = adapter_.BuildPassthroughRequest(request, target_);
  ASSERT_FALSE(upstream.ok());
  EXPECT_EQ(upstream.error().http_status, 400);
  EXPECT_NE(upstream.error().message.find("no pass-through"), std::string::npos);
}

TEST_F(GeminiAdapterTest, ResponseUsageKeepsTheClassesApart) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"candidates":[],"usageMetadata":{"promptTokenCount":120,"cachedContentTokenCount":64,
          "candidatesTokenCount":12,"thoughtsTokenCount":80,"toolUsePromptTokenCount":5,"totalTokenCount":217}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 61);
  EXPECT_EQ(usage.cached_input_tokens, 64);
  EXPECT_EQ(usage.cache_write_tokens, 0);
  EXPECT_EQ(usage.output_tokens, 92);
  EXPECT_EQ(usage.reasoning_tokens, 80);
  EXPECT_EQ(usage.prompt_total() + usage.output_tokens, 217);
  EXPECT_FALSE(adapter_.ParseResponseUsage(Operation::kChatCompletions, "nope").reported);
  EXPECT_FALSE(adapter_.ParseResponseUsage(Operation::kEmbeddings, R"({"embedding":{}})").reported);
}

// Defect 5 of issue 11: absurd counts were clamped at 2^40 and billed as exact; cached tokens above
// the prompt were silently cut to the prompt.
TEST_F(GeminiAdapterTest, ImplausibleUsageIsMarkedWithWhy) {
  struct Case {
    std::string_view body;
    std::string_view why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":1e30}})",
            "a token count above 2^31"},
           {R"({"usageMetadata":{"promptTokenCount":-5,"candidatesTokenCount":3}})",
            "a negative token count"},
           {R"({"usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":64,
               "candidatesTokenCount":3}})",
            "cached tokens above the prompt tokens"},
       }) {
    const canonical::Usage usage = adapter_.ParseResponseUsage(Operation::kChatCompletions, c.body);
    ASSERT_NE(usage.implausible, nullptr) << c.body;
    EXPECT_EQ(std::string_view(usage.implausible), c.why) << c.body;
    EXPECT_GE(usage.input_tokens, 0);
    EXPECT_LE(usage.output_tokens, canonical::kMaxPlausibleTokens);
  }
  EXPECT_EQ(adapter_.ParseResponseUsage(Operation::kChatCompletions,
                                        R"({"usageMetadata":{"promptTokenCount":120,
                                            "cachedContentTokenCount":120}})")
                .implausible,
            nullptr);
}

TEST_F(GeminiAdapterTest, StreamTapReadsUsageErrorsAndTheFinishingChunk) {
  auto tap = adapter_.NewStreamTap(true);
  EXPECT_EQ(tap->OnData(R"({"candidates":[{"content":{"parts":[{"text":""}]}}],"usageMetadata":{"promptTokenCount":5}})"),
            StreamTap::Verdict::kForward);
  EXPECT_FALSE(tap->saw_content());
  EXPECT_EQ(tap->OnData(R"({"candidates":[{"content":{"parts":[{"text":"abcdefgh"}]}}]})"),
            StreamTap::Verdict::kForward);
  EXPECT_TRUE(tap->saw_content());
  EXPECT_FALSE(tap->saw_end());
  tap->OnData(R"({"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":9}})");
  EXPECT_TRUE(tap->saw_end());
  EXPECT_EQ(tap->usage().input_tokens, 5);
  EXPECT_EQ(tap->usage().output_tokens, 9);
  EXPECT_EQ(tap->EstimatedUsage(40).output_tokens, 2);
  EXPECT_EQ(tap->EstimatedUsage(40).input_tokens, 10);
  auto failing = adapter_.NewStreamTap(false);
  failing->OnData(R"({"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}})");
  EXPECT_EQ(failing->stream_error(), "Internal error encountered.");
  EXPECT_TRUE(adapter_.NewStreamDecoder() != nullptr);
}

// --- Errors ---

ProviderError Parse(int status, std::string_view body) { return ParseGeminiError(status, body); }

TEST(GeminiErrorParserTest, ReadsTheObjectAndTheArrayForm) {
  const std::string object =
      R"({"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"foo\"","status":"INVALID_ARGUMENT"}})";
  for (const std::string& body : {object, "[" + object + "]"}) {
    const ProviderError error = Parse(400, body);
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.message, R"(Invalid JSON payload received. Unknown name "foo")");
    EXPECT_EQ(error.type, "invalid_request_error");
    EXPECT_EQ(error.code, "INVALID_ARGUMENT");
    EXPECT_EQ(error.error_class, ErrorClass::kFatal);
  }
}

TEST(GeminiErrorParserTest, ABadKeyFallsBack) {
  const ProviderError error = Parse(400, R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",
      "status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",
      "reason":"API_KEY_INVALID","domain":"googleapis.com"}]}})");
  EXPECT_EQ(error.type, "authentication_error");
  EXPECT_EQ(error.code, "API_KEY_INVALID");
  EXPECT_EQ(error.error_class, ErrorClass::kFallBack);
}

TEST(GeminiErrorParserTest, ClassifiesByStatus) {
  const ProviderError region = Parse(400, R"({"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}})");
  EXPECT_EQ(region.error_class, ErrorClass::kFallBack);
  const ProviderError denied = Parse(403, R"({"error":{"code":403,"message":"Permission denied.","status":"PERMISSION_DENIED"}})");
  EXPECT_EQ(denied.type, "permission_error");
  EXPECT_EQ(denied.error_class, ErrorClass::kFallBack);
  const ProviderError missing = Parse(404, R"({"error":{"code":404,"message":"models/nope is not found","status":"NOT_FOUND"}})");
  EXPECT_EQ(missing.type, "not_found_error");
  EXPECT_EQ(missing.error_class, ErrorClass::kFallBack);
  const ProviderError internal = Parse(500, R"({"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}})");
  EXPECT_EQ(internal.type, "api_error");
  EXPECT_EQ(internal.error_class, ErrorClass::kRetryable);
  const ProviderError overloaded = Parse(503, R"([{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}])");
  EXPECT_EQ(overloaded.type, "overloaded_error");
  EXPECT_EQ(overloaded.message, "The model is overloaded.");
  EXPECT_EQ(overloaded.error_class, ErrorClass::kRetryable);
  const ProviderError deadline = Parse(504, R"({"error":{"code":504,"message":"Deadline expired.","status":"DEADLINE_EXCEEDED"}})");
  EXPECT_EQ(deadline.type, "timeout_error");
  EXPECT_EQ(deadline.error_class, ErrorClass::kRetryable);
}

TEST(GeminiErrorParserTest, RateLimitsRetryButDailyQuotasFallBack) {
  const ProviderError minute = Parse(429, R"({"error":{"code":429,"message":"You exceeded your current quota.",
      "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
      "violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
      "quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
      {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"27s"}]}})");
  EXPECT_EQ(minute.type, "rate_limit_error");
  EXPECT_EQ(minute.code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(minute.error_class, ErrorClass::kRetryable);
  const ProviderError day = Parse(429, R"({"error":{"code":429,"message":"You exceeded your current quota.",
      "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
      "violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}})");
  EXPECT_EQ(day.error_class, ErrorClass::kFallBack);
  EXPECT_EQ(Parse(429, "").error_class, ErrorClass::kRetryable);
}

// Gemini's wait is in the body (google.rpc.RetryInfo), not in headers: it reaches the retry wait as
// ProviderError::retry_delay (gateway/attempt_run.cc, when the adapter's RateLimitReset has none).
TEST(GeminiErrorParserTest, RetryInfoGivesTheWait) {
  const auto delay = [](std::string_view retry_info) {
    return Parse(429, std::string(R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED",)") +
                          R"("message":"quota","details":[)" + std::string(retry_info) + "]}}")
        .retry_delay;
  };
  EXPECT_EQ(delay(R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"27s"})"),
            std::chrono::milliseconds(27'000));
  EXPECT_EQ(delay(R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"})"),
            std::chrono::milliseconds(1'500));
  EXPECT_EQ(delay(R"({"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"X"},)"
                  R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"})"),
            std::chrono::milliseconds(2'000));
  for (std::string_view unreadable :
       {R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1m"})",
        R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"-1s"})",
        R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"s"})",
        R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":{"seconds":3}})",
        R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","retryDelay":"3s"})"}) {
    EXPECT_EQ(delay(unreadable), std::nullopt) << unreadable;
  }
  EXPECT_EQ(Parse(429, "").retry_delay, std::nullopt);
}

TEST(GeminiErrorParserTest, ContextLengthErrorsAreMarked) {
  const ProviderError too_long = Parse(
      400, R"({"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum )"
           R"(number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})");
  EXPECT_TRUE(too_long.context_length);
  EXPECT_EQ(too_long.error_class, ErrorClass::kFatal);
  EXPECT_FALSE(Parse(400, R"({"error":{"code":400,"message":"Invalid JSON payload received.",)"
                          R"("status":"INVALID_ARGUMENT"}})")
                   .context_length);
  EXPECT_FALSE(Parse(400, R"({"error":{"code":400,"message":"exceeds the maximum number of tokens",)"
                          R"("status":"FAILED_PRECONDITION"}})")
                   .context_length);
}

TEST(GeminiErrorParserTest, BodiesThatSayNothing) {
  for (std::string_view body : {"", "<html>bad gateway</html>", "[]", "[1]", R"({"error":"text"})"}) {
    const ProviderError error = Parse(502, body);
    EXPECT_EQ(error.message, "the provider answered with HTTP status 502") << body;
    EXPECT_EQ(error.type, "api_error");
    EXPECT_EQ(error.error_class, ErrorClass::kRetryable);
  }
  EXPECT_EQ(Parse(413, "").error_class, ErrorClass::kFatal);
  // An error inside a 200 stream takes its class from the body's code.
  EXPECT_EQ(Parse(200, R"({"error":{"code":503,"message":"x","status":"UNAVAILABLE"}})").error_class,
            ErrorClass::kRetryable);
}

}  // namespace
}  // namespace switchyard::providers::gemini

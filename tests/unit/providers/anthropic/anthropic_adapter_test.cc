#include "providers/anthropic/anthropic_adapter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>

#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "json/object_scan.h"
#include "providers/anthropic/anthropic_error_parser.h"
#include "hosts/host_profile.h"

namespace switchyard::providers::anthropic {
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

class AnthropicAdapterTest : public ::testing::Test {
 protected:
  AnthropicAdapterTest() {
    provider_.name = "anthropic";
    provider_.profile = hosts::FindKnownHost("anthropic");
    provider_.headers["x-extra"] = "1";
    endpoint_ = *http::ParseUpstreamEndpoint("https://api.anthropic.com");
    target_.provider = &provider_;
    target_.model = "claude-sonnet-4-5";
    target_.api_key = "sk-ant-KEY";
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
  AnthropicAdapter adapter_;
};

TEST_F(AnthropicAdapterTest, EncodeRequestBuildsTheMessagesCall) {
  canonical::ChatRequest request = Request();
  request.stream = true;
  request.extra["seed"] = 3;
  request.headers = {{"anthropic-beta", "a,b"}, {"x-stainless-retry-count", "0"}};
  target_.params_json = R"({"temperature":0.25,"model":"ignored"})";
  auto encoded = adapter_.EncodeRequest(request, target_);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  const http::UpstreamRequest& upstream = encoded->upstream;
  EXPECT_EQ(upstream.method, "POST");
  EXPECT_EQ(upstream.target, "/v1/messages");
  EXPECT_EQ(HeaderValue(upstream, "x-api-key"), "sk-ant-KEY");
  EXPECT_EQ(HeaderValue(upstream, "Authorization"), std::nullopt);
  EXPECT_EQ(HeaderValue(upstream, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(HeaderValue(upstream, "anthropic-beta"), "a,b");
  EXPECT_EQ(HeaderValue(upstream, "x-stainless-retry-count"), std::nullopt);
  EXPECT_EQ(HeaderValue(upstream, "Accept"), "text/event-stream");
  EXPECT_EQ(HeaderValue(upstream, "x-extra"), "1");
  const boost::json::value body = boost::json::parse(upstream.body);
  EXPECT_EQ(body.at("model"), "claude-sonnet-4-5");
  EXPECT_EQ(body.at("temperature").to_number<double>(), 0.25);  // the route's params win
  EXPECT_EQ(body.at("max_tokens"), 4096);
  EXPECT_EQ(encoded->dropped_params, std::vector<std::string>{"seed"});
}

// A refused part is named where the client wrote it, not by its place among canonical messages.
TEST_F(AnthropicAdapterTest, ARefusedPartIsNamedByTheClientsPath) {
  canonical::ChatRequest request = Request();
  canonical::Message system;
  system.role = canonical::Role::kSystem;
  system.content.push_back(canonical::ContentPart{});
  system.content.back().text = "sys";
  request.messages.insert(request.messages.begin(), system);
  canonical::ContentPart image;
  image.kind = canonical::ContentPart::Kind::kImageBase64;
  image.media_type = "image/bmp";
  image.data = "Qk0=";
  image.path = "messages[0].content[1]";
  request.messages[1].content.push_back(image);
  auto refused = adapter_.EncodeRequest(request, target_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().param, "messages[0].content[1]");
  EXPECT_TRUE(refused.error().message.starts_with("messages[0].content[1]: "))
      << refused.error().message;

  request.messages[1].content.back().path.clear();  // unknown: its canonical place
  refused = adapter_.EncodeRequest(request, target_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().param, "messages[1].content[1]");
}

TEST_F(AnthropicAdapterTest, TheClientsAnthropicVersionIsKept) {
  canonical::ChatRequest request = Request();
  request.headers = {{"anthropic-version", "2024-01-01"}};
  auto encoded = adapter_.EncodeRequest(request, target_);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(HeaderValue(encoded->upstream, "anthropic-version"), "2024-01-01");
}

TEST_F(AnthropicAdapterTest, PassthroughRewritesOnlyTheModel) {
  const std::string body = R"({"model":"anthropic/claude","max_tokens":5,"messages":[]})";
  auto scan = json::ScanObject(body);
  ASSERT_TRUE(scan.ok());
  const std::vector<std::pair<std::string, std::string>> headers = {{"anthropic-beta", "x"}};
  PassthroughRequest request;
  request.body = body;
  request.scan = &*scan;
  request.client_headers = headers;
  auto upstream = adapter_.BuildPassthroughRequest(request, target_);
  ASSERT_TRUE(upstream.ok());
  EXPECT_EQ(upstream->body, R"({"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]})");
  EXPECT_EQ(HeaderValue(*upstream, "anthropic-beta"), "x");
  request.operation = Operation::kEmbeddings;
  EXPECT_FALSE(adapter_.BuildPassthroughRequest(request, target_).ok());
}

TEST_F(AnthropicAdapterTest, ResponseUsageKeepsTheClassesApart) {
  const canonical::Usage usage = adapter_.ParseResponseUsage(
      Operation::kChatCompletions,
      R"({"usage":{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":30,
          "cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},
          "output_tokens":7,"output_tokens_details":{"thinking_tokens":3}}})");
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input_tokens, 10);
  EXPECT_EQ(usage.cached_input_tokens, 100);
  EXPECT_EQ(usage.cache_write_tokens, 10);
  EXPECT_EQ(usage.cache_write_1h_tokens, 20);
  EXPECT_EQ(usage.output_tokens, 7);
  EXPECT_EQ(usage.reasoning_tokens, 3);
  EXPECT_EQ(usage.prompt_total(), 140);
  EXPECT_FALSE(adapter_.ParseResponseUsage(Operation::kChatCompletions, "nope").reported);
}

// Defect 5 of issue 11: absurd counts were clamped at 2^40 and billed as exact.
TEST_F(AnthropicAdapterTest, ImplausibleUsageIsMarkedWithWhy) {
  struct Case {
    std::string_view body;
    std::string_view why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"usage":{"input_tokens":10,"output_tokens":1e30}})", "a token count above 2^31"},
           {R"({"usage":{"input_tokens":-5,"output_tokens":3}})", "a negative token count"},
           {R"({"usage":{"input_tokens":5,"cache_read_input_tokens":0.5,"output_tokens":3}})",
            "a fractional token count"},
           {R"({"usage":{"input_tokens":5,"output_tokens":3,
               "output_tokens_details":{"thinking_tokens":4}}})",
            "reasoning tokens above the output tokens"},
       }) {
    const canonical::Usage usage = adapter_.ParseResponseUsage(Operation::kChatCompletions, c.body);
    ASSERT_NE(usage.implausible, nullptr) << c.body;
    EXPECT_EQ(std::string_view(usage.implausible), c.why) << c.body;
    EXPECT_GE(usage.input_tokens, 0);
    EXPECT_LE(usage.output_tokens, canonical::kMaxPlausibleTokens);
  }
  EXPECT_EQ(adapter_.ParseResponseUsage(Operation::kChatCompletions,
                                        R"({"usage":{"input_tokens":5,"output_tokens":3}})")
                .implausible,
            nullptr);
  // In a stream: message_start's counts and message_delta's update both go through the reader.
  auto tap = adapter_.NewStreamTap(true);
  tap->OnData(R"({"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}})");
  EXPECT_EQ(tap->usage().implausible, nullptr);
  tap->OnData(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":-9}})");
  ASSERT_NE(tap->usage().implausible, nullptr);
  EXPECT_EQ(tap->usage().output_tokens, 0);
}

// Defect 6 of issue 11: a pass-through stream that closed without message_stop looked complete.
// The tap tells an answer that said why it stopped from one that was cut short.
TEST_F(AnthropicAdapterTest, StreamTapSeesTheStopReason) {
  auto tap = adapter_.NewStreamTap(true);
  tap->OnData(R"({"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}})");
  tap->OnData(R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ab"}})");
  EXPECT_FALSE(tap->saw_finish());
  tap->OnData(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}})");
  EXPECT_TRUE(tap->saw_finish());
  EXPECT_FALSE(tap->saw_end());
}

TEST_F(AnthropicAdapterTest, StreamTapReadsUsageErrorsAndTheEnd) {
  auto tap = adapter_.NewStreamTap(true);
  EXPECT_EQ(tap->OnData(R"({"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}})"),
            StreamTap::Verdict::kForward);
  EXPECT_FALSE(tap->saw_content());
  tap->OnData(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
  tap->OnData(R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abcdefgh"}}    )");
  EXPECT_TRUE(tap->saw_content());
  tap->OnData(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}})");
  EXPECT_EQ(tap->usage().input_tokens, 5);
  EXPECT_EQ(tap->usage().output_tokens, 9);
  EXPECT_FALSE(tap->saw_end());
  tap->OnData(R"({"type":"message_stop"})");
  EXPECT_TRUE(tap->saw_end());
  EXPECT_EQ(tap->EstimatedUsage(40).output_tokens, 2);
  auto failing = adapter_.NewStreamTap(false);
  failing->OnData(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_EQ(failing->stream_error(), "Overloaded");
}

TEST(AnthropicErrorParserTest, ClassifiesByTypeAndStatus) {
  auto overloaded = ParseAnthropicError(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"})");
  EXPECT_EQ(overloaded.status, 529);
  EXPECT_EQ(overloaded.type, "overloaded_error");
  EXPECT_EQ(overloaded.message, "Overloaded");
  EXPECT_EQ(overloaded.error_class, ErrorClass::kRetryable);
  EXPECT_EQ(ParseAnthropicError(500, R"({"type":"error","error":{"type":"overloaded_error","message":"x"}})")
                .error_class,
            ErrorClass::kRetryable);
  EXPECT_EQ(ParseAnthropicError(429, R"({"type":"error","error":{"type":"rate_limit_error","message":"x"}})")
                .error_class,
            ErrorClass::kRetryable);
  EXPECT_EQ(ParseAnthropicError(400, R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})")
                .error_class,
            ErrorClass::kFatal);
  EXPECT_EQ(ParseAnthropicError(401, R"({"type":"error","error":{"type":"authentication_error","message":"x"}})")
                .error_class,
            ErrorClass::kFallBack);
  EXPECT_EQ(ParseAnthropicError(402, R"({"type":"error","error":{"type":"billing_error","message":"x"}})")
                .error_class,
            ErrorClass::kFallBack);
  EXPECT_EQ(ParseAnthropicError(413, "<html>too large</html>").error_class, ErrorClass::kFatal);
  const ProviderError unknown = ParseAnthropicError(503, "");
  EXPECT_EQ(unknown.error_class, ErrorClass::kRetryable);
  EXPECT_EQ(unknown.message, "the provider answered with HTTP status 503");
}

TEST(AnthropicErrorParserTest, ContextLengthErrorsAreMarked) {
  const ProviderError too_long = ParseAnthropicError(
      400, R"({"type":"error","error":{"type":"invalid_request_error",)"
           R"("message":"prompt is too long: 215000 tokens > 200000 maximum"},"request_id":"req_1"})");
  EXPECT_TRUE(too_long.context_length);
  EXPECT_EQ(too_long.error_class, ErrorClass::kFatal);
  EXPECT_FALSE(ParseAnthropicError(
                   400, R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})")
                   .context_length);
  EXPECT_FALSE(ParseAnthropicError(
                   429, R"({"type":"error","error":{"type":"rate_limit_error","message":"prompt is too long"}})")
                   .context_length);
  EXPECT_FALSE(ParseAnthropicError(413, R"({"type":"error","error":{"type":"request_too_large",)"
                                        R"("message":"Request exceeds the maximum allowed number of bytes."}})")
                   .context_length)
      << "too many bytes is not a context window";
}

}  // namespace
}  // namespace switchyard::providers::anthropic

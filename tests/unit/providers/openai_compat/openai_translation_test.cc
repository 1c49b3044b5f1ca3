// The OpenAI adapter's translated path: host rows (renames, stream usage), auth, and what the
// decoders make of odd answers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "hosts/host_profile.h"
#include "providers/openai_compat/openai_adapter.h"
#include "providers/openai_compat/openai_response_decoder.h"
#include "providers/openai_compat/openai_stream_decoder.h"

namespace switchyard::providers::openai_compat {
namespace {

class OpenAITranslationTest : public ::testing::Test {
 protected:
  void UseHost(std::string_view name, std::string_view url) {
    provider_.name = std::string(name);
    provider_.profile = hosts::FindKnownHost(name);
    endpoint_ = *http::ParseUpstreamEndpoint(url);
    target_.provider = &provider_;
    target_.model = "some-model";
    target_.api_key = "sk-KEY";
    target_.endpoint = &endpoint_;
  }

  static canonical::ChatRequest Request() {
    canonical::ChatRequest request;
    request.dialect = wire::Format::kAnthropic;
    canonical::Message user;
    user.content.emplace_back();
    user.content.back().text = "hi";
    request.messages.push_back(user);
    request.max_tokens = 50;
    request.stream = true;
    return request;
  }

  boost::json::object Body(const EncodedRequest& encoded) {
    return boost::json::parse(encoded.upstream.body).as_object();
  }

  config::ProviderConfig provider_;
  http::UpstreamEndpoint endpoint_;
  UpstreamTarget target_;
  OpenAIAdapter adapter_;
};

TEST_F(OpenAITranslationTest, OpenAIGetsMaxCompletionTokensAndStreamUsage) {
  UseHost("openai", "https://api.openai.com/v1");
  auto encoded = adapter_.EncodeRequest(Request(), target_);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->upstream.target, "/v1/chat/completions");
  const auto body = Body(*encoded);
  EXPECT_EQ(body.at("max_completion_tokens"), 50);
  EXPECT_EQ(body.at("stream_options").at("include_usage"), true);
  bool bearer = false;
  for (const auto& [name, value] : encoded->upstream.headers) {
    bearer |= name == "Authorization" && value == "Bearer sk-KEY";
  }
  EXPECT_TRUE(bearer);
}

TEST_F(OpenAITranslationTest, HostRowsRenameAndDropStreamOptions) {
  UseHost("cerebras", "https://api.cerebras.ai/v1");
  auto cerebras = adapter_.EncodeRequest(Request(), target_);
  ASSERT_TRUE(cerebras.ok());
  EXPECT_EQ(Body(*cerebras).at("max_tokens"), 50);
  EXPECT_FALSE(Body(*cerebras).contains("max_completion_tokens"));
  UseHost("mistral", "https://api.mistral.ai/v1");
  auto mistral = adapter_.EncodeRequest(Request(), target_);
  ASSERT_TRUE(mistral.ok());
  EXPECT_FALSE(Body(*mistral).contains("stream_options"));
}

TEST(OpenAIResponseDecoderTest, ErrorsAndOddShapes) {
  EXPECT_FALSE(DecodeOpenAIResponse("{}").ok());
  EXPECT_FALSE(DecodeOpenAIResponse(R"({"choices":[]})").ok());
  auto error = DecodeOpenAIResponse(R"({"error":{"message":"upstream died","code":502}})");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().kind, ErrorKind::kUpstreamProtocol);
  EXPECT_NE(error.error().message.find("upstream died"), std::string::npos);
  // Content as parts; Together's eos finish reason.
  auto parts = DecodeOpenAIResponse(
      R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},"finish_reason":"eos"}]})");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->message.content.size(), 2u);
  EXPECT_EQ(parts->finish_reason, canonical::FinishReason::kStop);
  EXPECT_FALSE(parts->usage.reported);
}

TEST(OpenAIStreamDecoderTest, ToolCallsWithoutIdsOrIndicesStillGetOrdinals) {
  OpenAIStreamDecoder decoder;
  std::vector<canonical::StreamEvent> events;
  decoder.Decode("", R"({"choices":[{"delta":{"tool_calls":[{"function":{"name":"f","arguments":"{}"}},
      {"function":{"name":"g","arguments":"{}"}}]}}]})", events);
  ASSERT_EQ(events.size(), 5u);  // start, (start, delta) × 2
  EXPECT_EQ(events[1].tool_call.id, "call_0");
  EXPECT_EQ(events[3].index, 1);
  EXPECT_EQ(events[3].tool_call.name, "g");
  events.clear();
  decoder.Decode("", "not json", events);
  decoder.Decode("", R"({"choices":[{"index":1,"delta":{"content":"other choice"}}]})", events);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace switchyard::providers::openai_compat

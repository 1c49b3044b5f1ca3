// Round trips through both formats: what one side says survives the other side and back, for
// requests, responses and streams (the canonical model loses nothing the two formats share).
#include <gtest/gtest.h>

#include "inbound/anthropic/messages_codec.h"
#include "inbound/anthropic/messages_request_decoder.h"
#include "inbound/openai/chat_codec.h"
#include "inbound/openai/chat_request_decoder.h"
#include "providers/anthropic/anthropic_request_encoder.h"
#include "providers/anthropic/anthropic_response_decoder.h"
#include "providers/anthropic/anthropic_stream_decoder.h"
#include "providers/openai_compat/openai_request_encoder.h"
#include "providers/openai_compat/openai_response_decoder.h"
#include "providers/openai_compat/openai_stream_decoder.h"
#include "unit/canonical/translation_fixtures.h"
#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::canonical {
namespace {

using namespace ::switchyard::testing_fixtures;

// An Anthropic request in the shape the Anthropic encoder writes, so that equality is exact.
constexpr std::string_view kAnthropicRequest = R"({
  "model": "claude-test", "max_tokens": 1000, "system": "Be brief.",
  "messages": [
    {"role": "user", "content": [{"type": "text", "text": "Weather?"},
      {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
    {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
      {"type": "tool_use", "id": "toolu_1", "name": "w", "input": {"city": "Paris"}},
      {"type": "tool_use", "id": "toolu_2", "name": "w", "input": {"city": "Rome"}}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
      {"type": "tool_result", "tool_use_id": "toolu_2", "content": "21C"},
      {"type": "text", "text": "Thanks"}]}],
  "temperature": 0.5, "top_p": 0.9, "stop_sequences": ["END"],
  "tools": [{"name": "w", "description": "d",
             "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
  "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
  "output_config": {"format": {"type": "json_schema", "schema": {"type": "object"}}},
  "metadata": {"user_id": "u1"}, "stream": true})";

TEST(RoundTripTest, AnthropicRequestThroughOpenAIAndBack) {
  auto anthropic_in = inbound::anthropic::DecodeMessagesRequest(kAnthropicRequest);
  ASSERT_TRUE(anthropic_in.ok()) << anthropic_in.error().message;
  auto openai_body = providers::openai_compat::EncodeOpenAIRequest(*anthropic_in, "claude-test", nullptr);
  ASSERT_TRUE(openai_body.ok()) << openai_body.error().message;
  EXPECT_TRUE(openai_body->dropped_params.empty());
  auto openai_in = inbound::openai::DecodeChatRequest(openai_body->body);
  ASSERT_TRUE(openai_in.ok()) << openai_in.error().message;
  EXPECT_TRUE(openai_in->client_wants_stream_usage);
  auto back = providers::anthropic::EncodeAnthropicRequest(*openai_in, "claude-test");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(JsonEqual(ParseJson(back->body), ParseJson(kAnthropicRequest)))
      << PrettyString(ParseJson(back->body));
}

constexpr std::string_view kAnthropicResponse = R"({
  "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
  "content": [{"type": "text", "text": "Both."},
              {"type": "tool_use", "id": "toolu_1", "name": "w", "input": {"city": "Paris"}}],
  "stop_reason": "tool_use", "stop_sequence": null,
  "usage": {"input_tokens": 10, "cache_creation_input_tokens": 4, "cache_read_input_tokens": 100,
            "cache_creation": {"ephemeral_5m_input_tokens": 4, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 20}})";

TEST(RoundTripTest, AnthropicResponseThroughOpenAIAndBack) {
  auto decoded = providers::anthropic::DecodeAnthropicResponse(kAnthropicResponse);
  ASSERT_TRUE(decoded.ok());
  const std::string openai = inbound::openai::ChatCodec().EncodeResponse(*decoded);
  auto again = providers::openai_compat::DecodeOpenAIResponse(openai);
  ASSERT_TRUE(again.ok());
  const std::string back = inbound::anthropic::MessagesCodec().EncodeResponse(*again);
  EXPECT_TRUE(JsonEqual(ParseJson(back), ParseJson(kAnthropicResponse))) << back;
}

std::vector<StreamEvent> Decode(providers::StreamDecoder&& decoder, std::string_view stream) {
  return DecodeSse(decoder, stream, false);
}

template <class Codec>
std::string Encode(const std::vector<StreamEvent>& events, bool include_usage) {
  inbound::StreamEncoderOptions options;
  options.include_usage = include_usage;
  auto encoder = Codec().NewStreamEncoder(options);
  std::string out;
  for (const StreamEvent& event : events) encoder->Encode(event, out);
  encoder->Finish(out, "");
  return out;
}

TEST(RoundTripTest, AnthropicStreamThroughAnOpenAIClientStreamAndBack) {
  const std::string original = ReadFixture("anthropic/thinking_tool.stream.sse");
  const std::string openai = Encode<inbound::openai::ChatCodec>(
      Decode(providers::anthropic::AnthropicStreamDecoder(), original), true);
  CheckOpenAIStream(openai, true);
  const std::string back = Encode<inbound::anthropic::MessagesCodec>(
      Decode(providers::openai_compat::OpenAIStreamDecoder(), openai), false);
  AnthropicAccumulated want = CheckAnthropicStream(original);
  AnthropicAccumulated got = CheckAnthropicStream(back);
  want.content[0].as_object()["signature"] = "";  // signatures never cross providers
  EXPECT_TRUE(JsonEqual(boost::json::value(got.content), boost::json::value(want.content)))
      << boost::json::serialize(got.content);
  EXPECT_EQ(got.stop_reason, want.stop_reason);
  EXPECT_EQ(got.usage.at("input_tokens"), 377);
  EXPECT_EQ(got.usage.at("output_tokens"), 65);
}

TEST(RoundTripTest, OpenAIStreamThroughAnAnthropicClientStreamAndBack) {
  const std::string original = ReadFixture("openai/tool_call.stream.sse");
  const std::string anthropic = Encode<inbound::anthropic::MessagesCodec>(
      Decode(providers::openai_compat::OpenAIStreamDecoder(), original), false);
  CheckAnthropicStream(anthropic);
  const std::string back = Encode<inbound::openai::ChatCodec>(
      Decode(providers::anthropic::AnthropicStreamDecoder(), anthropic), true);
  OpenAIAccumulated want = CheckOpenAIStream(original, true);
  OpenAIAccumulated got = CheckOpenAIStream(back, true);
  EXPECT_EQ(got.finish_reason, want.finish_reason);
  ASSERT_EQ(got.tool_calls.size(), 1u);
  EXPECT_EQ(got.tool_calls[0].id, "call_a1");
  EXPECT_EQ(got.tool_calls[0].arguments, want.tool_calls[0].arguments);
  EXPECT_TRUE(JsonEqual(got.usage, want.usage)) << boost::json::serialize(got.usage);
}

}  // namespace
}  // namespace switchyard::canonical

#include "inbound/anthropic/messages_stream_encoder.h"

#include <gtest/gtest.h>

#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::inbound::anthropic {
namespace {

using namespace ::switchyard::testing_fixtures;
using canonical::StreamEvent;
using Kind = canonical::StreamEvent::Kind;

StreamEvent Make(Kind kind, std::string text = {}, int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

StreamEvent ToolStart(int index, std::string id, std::string name) {
  StreamEvent event = Make(Kind::kToolCallStart, {}, index);
  event.tool_call.id = std::move(id);
  event.tool_call.name = std::move(name);
  return event;
}

std::string Encode(const std::vector<StreamEvent>& events) {
  StreamEncoderOptions options;
  options.model = "m";
  options.id = "msg_x";
  options.input_tokens_estimate = 7;
  MessagesStreamEncoder encoder(options);
  std::string out;
  for (const StreamEvent& event : events) encoder.Encode(event, out);
  encoder.Finish(out, "");
  return out;
}

TEST(MessagesStreamEncoderTest, ASignatureEndsAThinkingBlock) {
  const std::string out = Encode({Make(Kind::kThinkingDelta, "a"), Make(Kind::kThinkingSignature, "s1"),
                               Make(Kind::kThinkingDelta, "b"), Make(Kind::kThinkingSignature, "s2"),
                               Make(Kind::kTextDelta, "done")});
  AnthropicAccumulated acc = CheckAnthropicStream(out);
  ASSERT_EQ(acc.content.size(), 3u);
  EXPECT_EQ(acc.content[0].at("thinking"), "a");
  EXPECT_EQ(acc.content[0].at("signature"), "s1");
  EXPECT_EQ(acc.content[1].at("thinking"), "b");
  EXPECT_EQ(acc.content[1].at("signature"), "s2");
  EXPECT_EQ(acc.content[2].at("text"), "done");
  EXPECT_EQ(acc.stop_reason, "end_turn");
}

TEST(MessagesStreamEncoderTest, InterleavedArgumentsWaitForTheOpenCallToComplete) {
  const std::string out = Encode({ToolStart(0, "a", "fa"), Make(Kind::kToolCallDelta, "{\"x\":\"}", 0),
                               ToolStart(1, "b", "fb"), Make(Kind::kToolCallDelta, "{\"y\":", 1),
                               Make(Kind::kToolCallDelta, "{\\\"}", 0),  // braces, an escaped quote: in a string
                               Make(Kind::kToolCallDelta, "2}", 1), Make(Kind::kToolCallDelta, "\"}", 0)});
  AnthropicAccumulated acc = CheckAnthropicStream(out);
  ASSERT_EQ(acc.content.size(), 2u);
  EXPECT_EQ(boost::json::serialize(acc.content[0].at("input")), R"({"x":"}{\"}"})");
  EXPECT_EQ(boost::json::serialize(acc.content[1].at("input")), R"({"y":2})");
  EXPECT_EQ(acc.stop_reason, "tool_use");  // no finish came: calls were seen
}

TEST(MessagesStreamEncoderTest, UsageWaitsForTheEndAndTheEstimateFillsTheStart) {
  StreamEvent finish = Make(Kind::kFinish);
  finish.finish_reason = canonical::FinishReason::kStop;
  finish.text = "STOP";
  StreamEvent usage = Make(Kind::kUsage);
  usage.usage.input_tokens = 11;
  usage.usage.output_tokens = 5;
  usage.usage.reported = true;
  const std::string out = Encode({Make(Kind::kTextDelta, "x"), finish, usage});
  AnthropicAccumulated acc = CheckAnthropicStream(out);
  EXPECT_EQ(acc.stop_reason, "stop_sequence");
  EXPECT_EQ(acc.stop_sequence, "STOP");
  EXPECT_EQ(acc.usage.at("input_tokens"), 11);
  EXPECT_EQ(acc.usage.at("output_tokens"), 5);
  EXPECT_NE(out.find("\"input_tokens\":7"), std::string::npos) << "message_start uses the estimate";
}

TEST(MessagesStreamEncoderTest, ProviderErrorsBecomeErrorEvents) {
  StreamEvent error = Make(Kind::kError, "Overloaded");
  error.error_type = "overloaded_error";
  const std::string out = Encode({Make(Kind::kTextDelta, "x"), error, Make(Kind::kTextDelta, "y")});
  AnthropicAccumulated acc = CheckAnthropicStream(out);
  EXPECT_TRUE(acc.saw_error);
  EXPECT_NE(out.find("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("message_stop"), std::string::npos);
}

TEST(MessagesStreamEncoderTest, RedactedThinkingIsAWholeBlock) {
  const std::string out = Encode({Make(Kind::kRedactedThinking, "opaque"), Make(Kind::kTextDelta, "hi")});
  AnthropicAccumulated acc = CheckAnthropicStream(out);
  ASSERT_EQ(acc.content.size(), 2u);
  EXPECT_EQ(acc.content[0].at("type"), "redacted_thinking");
  EXPECT_EQ(acc.content[0].at("data"), "opaque");
}

}  // namespace
}  // namespace switchyard::inbound::anthropic

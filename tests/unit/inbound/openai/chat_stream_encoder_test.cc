#include "inbound/openai/chat_stream_encoder.h"

#include <gtest/gtest.h>

#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::inbound::openai {
namespace {

using namespace ::switchyard::testing_fixtures;
using canonical::StreamEvent;
using Kind = canonical::StreamEvent::Kind;

StreamEvent Text(std::string text) {
  StreamEvent event;
  event.kind = Kind::kTextDelta;
  event.text = std::move(text);
  return event;
}

StreamEncoderOptions Options(bool include_usage) {
  StreamEncoderOptions options;
  options.model = "m";
  options.id = "chatcmpl-x";
  options.created = 7;
  options.include_usage = include_usage;
  return options;
}

TEST(ChatStreamEncoderTest, WithoutIncludeUsageNoUsageKeyAndNoUsageChunk) {
  ChatStreamEncoder encoder(Options(false));
  std::string out;
  encoder.Encode(Text("hi"), out);
  StreamEvent usage;
  usage.kind = Kind::kUsage;
  usage.usage.output_tokens = 3;
  usage.usage.reported = true;
  encoder.Encode(usage, out);
  encoder.Finish(out, "");
  EXPECT_EQ(out.find("usage"), std::string::npos) << out;
  OpenAIAccumulated acc = CheckOpenAIStream(out, false);
  EXPECT_EQ(acc.content, "hi");
  EXPECT_EQ(acc.finish_reason, "stop");
}

TEST(ChatStreamEncoderTest, AnEmptyStreamStillGetsRoleFinishUsageAndDone) {
  ChatStreamEncoder encoder(Options(true));
  std::string out;
  encoder.Finish(out, ": trailer\n\n");
  OpenAIAccumulated acc = CheckOpenAIStream(out, true);
  EXPECT_EQ(acc.role, "assistant");
  EXPECT_EQ(acc.finish_reason, "stop");
  EXPECT_LT(out.find(": trailer"), out.find("data: [DONE]"));
  EXPECT_GT(out.find(": trailer"), out.find("\"choices\":[]"));
}

TEST(ChatStreamEncoderTest, ToolCallsWithoutAFinishEndAsToolCalls) {
  ChatStreamEncoder encoder(Options(true));
  std::string out;
  StreamEvent start;
  start.kind = Kind::kToolCallStart;
  start.tool_call = {"call_1", "f", "{\"a\":1}"};  // a whole call at once (Gemini-style)
  encoder.Encode(start, out);
  encoder.Finish(out, "");
  OpenAIAccumulated acc = CheckOpenAIStream(out, true);
  EXPECT_EQ(acc.finish_reason, "tool_calls");
  EXPECT_EQ(acc.tool_calls.at(0).arguments, "{\"a\":1}");
}

TEST(ChatStreamEncoderTest, AnErrorEndsTheStreamWithoutDone) {
  ChatStreamEncoder encoder(Options(true));
  std::string out;
  encoder.Encode(Text("par"), out);
  encoder.Fail(Error::UpstreamTimeout("the provider went quiet"), out);
  EXPECT_TRUE(encoder.failed());
  encoder.Encode(Text("more"), out);
  encoder.Finish(out, "");
  EXPECT_EQ(out.find("more"), std::string::npos);
  EXPECT_EQ(out.find("[DONE]"), std::string::npos);
  OpenAIAccumulated acc = CheckOpenAIStream(out, true);
  EXPECT_TRUE(acc.saw_error);
}

TEST(ChatStreamEncoderTest, OneFinishChunkOnlyAndNothingAfterIt) {
  ChatStreamEncoder encoder(Options(false));
  std::string out;
  StreamEvent finish;
  finish.kind = Kind::kFinish;
  finish.finish_reason = canonical::FinishReason::kLength;
  encoder.Encode(finish, out);
  encoder.Encode(finish, out);
  encoder.Encode(Text("late"), out);
  encoder.Finish(out, "");
  encoder.Finish(out, "");
  OpenAIAccumulated acc = CheckOpenAIStream(out, false);
  EXPECT_EQ(acc.finish_reason, "length");
  EXPECT_EQ(out.find("late"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::inbound::openai

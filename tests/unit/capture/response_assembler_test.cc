// ResponseAssembler: a stream's events rebuilt into the whole answer — parts in order, tool calls
// by ordinal, the first finish, the last usage — and nothing at all for a stream that was cut,
// failed or outgrew its bound.
#include "capture/response_assembler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "canonical/response_events.h"
#include "canonical/stream_event_maker.h"

namespace switchyard::capture {
namespace {

using canonical::ContentPart;
using canonical::Event;
using canonical::FinishReason;
using canonical::StreamEvent;
using Kind = canonical::StreamEvent::Kind;
using PartKind = canonical::ContentPart::Kind;

StreamEvent Start(std::string id, std::string model, std::int64_t created) {
  StreamEvent event = Event(Kind::kStart);
  event.response_id = std::move(id);
  event.model = std::move(model);
  event.created = created;
  return event;
}

StreamEvent ToolStart(int ordinal, std::string id, std::string name, std::string arguments = {}) {
  StreamEvent event = Event(Kind::kToolCallStart, {}, ordinal);
  event.tool_call.id = std::move(id);
  event.tool_call.name = std::move(name);
  event.tool_call.arguments_json = std::move(arguments);
  return event;
}

StreamEvent Finish(FinishReason reason, std::string stop_sequence = {}) {
  StreamEvent event = Event(Kind::kFinish, std::move(stop_sequence));
  event.finish_reason = reason;
  return event;
}

StreamEvent UsageEvent(std::int64_t input, std::int64_t output) {
  StreamEvent event = Event(Kind::kUsage);
  event.usage.input_tokens = input;
  event.usage.output_tokens = output;
  event.usage.reported = true;
  return event;
}

std::optional<canonical::ChatResponse> Assemble(const std::vector<StreamEvent>& events,
                                                std::size_t max_bytes = 1 << 20) {
  ResponseAssembler assembler(max_bytes);
  for (const StreamEvent& event : events) assembler.Observe(event);
  return std::move(assembler).Take();
}

TEST(ResponseAssemblerTest, RebuildsPartsInOrderAndToolCallsByOrdinal) {
  std::optional<canonical::ChatResponse> response = Assemble({
      Start("msg_1", "claude-x", 0),
      Event(Kind::kThinkingDelta, "Let me "),
      Event(Kind::kThinkingDelta, "think."),
      Event(Kind::kThinkingSignature, "sig-1"),
      Event(Kind::kRedactedThinking, "opaque-1"),
      Event(Kind::kRedactedThinking, "opaque-2"),
      Event(Kind::kTextDelta, "Checking "),
      Event(Kind::kTextDelta, ""),
      Event(Kind::kTextDelta, "both."),
      ToolStart(1, "call_b", "weather"),  // ordinals need not start in order
      ToolStart(0, "call_a", "weather", "{\"ci"),
      Event(Kind::kToolCallDelta, "{\"city\":\"Rome\"}", 1),
      Event(Kind::kToolCallDelta, "ty\":\"Paris\"}", 0),
      Finish(FinishReason::kToolCalls),
      UsageEvent(10, 1),
      UsageEvent(10, 20),
      Event(Kind::kEnd),
  });
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->id, "msg_1");
  EXPECT_EQ(response->model, "claude-x");
  EXPECT_EQ(response->message.role, canonical::Role::kAssistant);
  const std::vector<ContentPart>& parts = response->message.content;
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].kind, PartKind::kThinking);
  EXPECT_EQ(parts[0].text, "Let me think.");
  EXPECT_EQ(parts[0].data, "sig-1");
  EXPECT_EQ(parts[1].kind, PartKind::kRedactedThinking);
  EXPECT_EQ(parts[1].data, "opaque-1");
  EXPECT_EQ(parts[2].kind, PartKind::kRedactedThinking);
  EXPECT_EQ(parts[2].data, "opaque-2");
  EXPECT_EQ(parts[3].kind, PartKind::kText);
  EXPECT_EQ(parts[3].text, "Checking both.");
  const std::vector<canonical::ToolCall>& calls = response->message.tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_a");
  EXPECT_EQ(calls[0].arguments_json, "{\"city\":\"Paris\"}");
  EXPECT_EQ(calls[1].id, "call_b");
  EXPECT_EQ(calls[1].arguments_json, "{\"city\":\"Rome\"}");
  EXPECT_EQ(response->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(response->usage.output_tokens, 20);  // the last usage is the complete one
  EXPECT_TRUE(response->usage.reported);
}

TEST(ResponseAssemblerTest, TextBetweenThinkingSplitsItAndEachSignatureClosesABlock) {
  std::optional<canonical::ChatResponse> response = Assemble({
      Start("r", "m", 0),
      Event(Kind::kThinkingDelta, "a"),
      Event(Kind::kThinkingSignature, "s1"),
      Event(Kind::kThinkingDelta, "b"),
      Event(Kind::kThinkingSignature, "s2"),
      Event(Kind::kThinkingSignature, "s3"),  // a signed block whose thinking was left out
      Event(Kind::kTextDelta, "x"),
      Event(Kind::kThinkingDelta, "c"),
      Event(Kind::kTextDelta, "y"),
      Finish(FinishReason::kStop),
  });
  ASSERT_TRUE(response.has_value());
  const std::vector<ContentPart>& parts = response->message.content;
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_EQ(parts[0].text + "/" + parts[0].data, "a/s1");
  EXPECT_EQ(parts[1].text + "/" + parts[1].data, "b/s2");
  EXPECT_EQ(parts[2].text + "/" + parts[2].data, "/s3");
  EXPECT_EQ(parts[3].text, "x");
  EXPECT_EQ(parts[4].kind, PartKind::kThinking);
  EXPECT_EQ(parts[4].text + "/" + parts[4].data, "c/");
  EXPECT_EQ(parts[5].text, "y");
}

TEST(ResponseAssemblerTest, TheStartGivesIdModelCreatedAndTheInputUsage) {
  StreamEvent start = Start("chatcmpl-1", "gpt-x", 1700000000);
  start.usage.input_tokens = 7;
  start.usage.reported = true;
  std::optional<canonical::ChatResponse> response =
      Assemble({start, Start("other", "other", 1), Finish(FinishReason::kStop, "END")});
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->id, "chatcmpl-1");
  EXPECT_EQ(response->model, "gpt-x");
  EXPECT_EQ(response->created, 1700000000);
  EXPECT_EQ(response->usage.input_tokens, 7);  // no kUsage came after it
  EXPECT_EQ(response->stop_sequence, "END");
  EXPECT_EQ(response->finish_reason, FinishReason::kStop);
}

TEST(ResponseAssemblerTest, KeepsWhatTheClientSawAfterTheFinishOnlyUsage) {
  std::optional<canonical::ChatResponse> response = Assemble({
      Start("r", "m", 0),
      Event(Kind::kTextDelta, "shown"),
      Event(Kind::kToolCallDelta, "{}", 3),  // a call that never started
      ToolStart(0, "c0", "f"),
      ToolStart(0, "again", "g"),  // a repeated start
      Finish(FinishReason::kToolCalls),
      Finish(FinishReason::kLength),
      Event(Kind::kTextDelta, " not shown"),
      ToolStart(1, "c1", "late"),
      UsageEvent(1, 2),
  });
  ASSERT_TRUE(response.has_value());
  ASSERT_EQ(response->message.content.size(), 1u);
  EXPECT_EQ(response->message.content[0].text, "shown");
  ASSERT_EQ(response->message.tool_calls.size(), 1u);
  EXPECT_EQ(response->message.tool_calls[0].id, "c0");
  EXPECT_EQ(response->message.tool_calls[0].name, "f");
  EXPECT_EQ(response->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(response->usage.output_tokens, 2);
}

TEST(ResponseAssemblerTest, AStreamThatNeverSaidHowItFinishedIsNoAnswer) {
  ResponseAssembler assembler(1 << 20);
  assembler.Observe(Start("r", "m", 0));
  assembler.Observe(Event(Kind::kTextDelta, "cut short"));
  assembler.Observe(Event(Kind::kEnd));
  EXPECT_FALSE(assembler.finished());
  EXPECT_FALSE(assembler.failed());
  EXPECT_FALSE(std::move(assembler).Take().has_value());
}

TEST(ResponseAssemblerTest, AnErrorAnywhereMeansNoAnswer) {
  ResponseAssembler assembler(1 << 20);
  assembler.Observe(Start("r", "m", 0));
  assembler.Observe(Event(Kind::kTextDelta, "partial"));
  assembler.Observe(Finish(FinishReason::kStop));
  assembler.Observe(Event(Kind::kError, "overloaded"));
  EXPECT_TRUE(assembler.finished());
  EXPECT_TRUE(assembler.failed());
  EXPECT_FALSE(std::move(assembler).Take().has_value());
}

TEST(ResponseAssemblerTest, TheBoundHoldsExactlyAndOverflowingIsNoAnswer) {
  // id "r" + model "m" + one part's overhead + 10 bytes of text.
  const std::size_t exact = 2 + ResponseAssembler::kEntryOverheadBytes + 10;
  const std::vector<StreamEvent> events = {Start("r", "m", 0), Event(Kind::kTextDelta, "01234"),
                                           Event(Kind::kTextDelta, "56789"),
                                           Finish(FinishReason::kStop)};
  std::optional<canonical::ChatResponse> fits = Assemble(events, exact);
  ASSERT_TRUE(fits.has_value());
  EXPECT_EQ(fits->message.content[0].text, "0123456789");

  ResponseAssembler assembler(exact - 1);
  for (const StreamEvent& event : events) assembler.Observe(event);
  EXPECT_TRUE(assembler.overflowed());
  EXPECT_TRUE(assembler.finished());
  EXPECT_FALSE(std::move(assembler).Take().has_value());
}

TEST(ResponseAssemblerTest, AFloodOfTinyPartsOrCallsOverflowsToo) {
  ResponseAssembler parts(64 * 1024);
  for (int i = 0; i < 100000 && !parts.overflowed(); ++i) {
    parts.Observe(Event(i % 2 == 0 ? Kind::kTextDelta : Kind::kRedactedThinking, "x"));
  }
  EXPECT_TRUE(parts.overflowed());
  ResponseAssembler calls(64 * 1024);
  for (int i = 0; i < 100000 && !calls.overflowed(); ++i) calls.Observe(ToolStart(i, "", ""));
  EXPECT_TRUE(calls.overflowed());
  for (int i = 0; i < 100; ++i) calls.Observe(Event(Kind::kToolCallDelta, "{}", i));
  calls.Observe(Finish(FinishReason::kToolCalls));
  EXPECT_FALSE(std::move(calls).Take().has_value());
}

TEST(ResponseAssemblerTest, EventsOfAnAnswerAssembleBackToIt) {
  canonical::ChatResponse original;
  original.id = "msg_9";
  original.model = "m";
  original.created = 42;
  original.message.role = canonical::Role::kAssistant;
  ContentPart thinking;
  thinking.kind = PartKind::kThinking;
  thinking.text = std::string(3000, 't');
  thinking.data = "sig";
  ContentPart text;
  text.text = std::string(2500, 'w');
  original.message.content = {thinking, text};
  original.message.tool_calls = {{"c1", "f", std::string(1500, '1')}, {"c2", "g", "{}"}};
  original.finish_reason = FinishReason::kToolCalls;
  original.usage.input_tokens = 3;
  original.usage.output_tokens = 4;
  original.usage.reported = true;
  std::optional<canonical::ChatResponse> back = Assemble(canonical::EventsOf(original));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, original.id);
  EXPECT_EQ(back->created, 42);
  ASSERT_EQ(back->message.content.size(), 2u);
  EXPECT_EQ(back->message.content[0].text, thinking.text);
  EXPECT_EQ(back->message.content[0].data, "sig");
  EXPECT_EQ(back->message.content[1].text, text.text);
  ASSERT_EQ(back->message.tool_calls.size(), 2u);
  EXPECT_EQ(back->message.tool_calls[0].arguments_json,
            original.message.tool_calls[0].arguments_json);
  EXPECT_EQ(back->message.tool_calls[1].name, "g");
  EXPECT_EQ(back->usage.output_tokens, 4);
}

}  // namespace
}  // namespace switchyard::capture

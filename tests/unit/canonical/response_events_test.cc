// EventsOf: a whole answer as the stream of events that would have carried it — the documented
// order, text in bounded pieces cut on UTF-8 boundaries, usage only when the answer reported it.
#include "canonical/response_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::canonical {
namespace {

using Kind = StreamEvent::Kind;

ContentPart Part(ContentPart::Kind kind, std::string text, std::string data = {}) {
  ContentPart part;
  part.kind = kind;
  part.text = std::move(text);
  part.data = std::move(data);
  return part;
}

ChatResponse RichResponse() {
  ChatResponse response;
  response.id = "msg_1";
  response.model = "claude-x";
  response.created = 1700000000;
  response.message.role = Role::kAssistant;
  response.message.content = {Part(ContentPart::Kind::kThinking, "Let me think.", "sig-1"),
                              Part(ContentPart::Kind::kRedactedThinking, "", "opaque"),
                              Part(ContentPart::Kind::kText, "Checking both.")};
  response.message.tool_calls = {{"call_1", "weather", R"({"city":"Paris"})"},
                                 {"call_2", "weather", R"({"city":"Rome"})"}};
  response.finish_reason = FinishReason::kToolCalls;
  response.stop_sequence = "";
  response.usage.input_tokens = 10;
  response.usage.cached_input_tokens = 100;
  response.usage.cache_write_tokens = 4;
  response.usage.cache_write_1h_tokens = 2;
  response.usage.output_tokens = 20;
  response.usage.reasoning_tokens = 5;
  response.usage.reported = true;
  return response;
}

std::vector<Kind> KindsOf(const std::vector<StreamEvent>& events) {
  std::vector<Kind> kinds;
  for (const StreamEvent& event : events) kinds.push_back(event.kind);
  return kinds;
}

TEST(ResponseEventsTest, ARichAnswerComesOutInTheDocumentedOrder) {
  const std::vector<StreamEvent> events = EventsOf(RichResponse());
  EXPECT_EQ(KindsOf(events),
            (std::vector<Kind>{Kind::kStart, Kind::kThinkingDelta, Kind::kThinkingSignature,
                               Kind::kRedactedThinking, Kind::kTextDelta, Kind::kToolCallStart,
                               Kind::kToolCallDelta, Kind::kToolCallStart, Kind::kToolCallDelta,
                               Kind::kFinish, Kind::kUsage, Kind::kEnd}));
  EXPECT_EQ(events[0].response_id, "msg_1");
  EXPECT_EQ(events[0].model, "claude-x");
  EXPECT_EQ(events[0].created, 1700000000);
  EXPECT_EQ(events[1].text, "Let me think.");
  EXPECT_EQ(events[2].text, "sig-1");
  EXPECT_EQ(events[3].text, "opaque");
  EXPECT_EQ(events[4].text, "Checking both.");
  EXPECT_EQ(events[5].index, 0);
  EXPECT_EQ(events[5].tool_call.id, "call_1");
  EXPECT_EQ(events[5].tool_call.name, "weather");
  EXPECT_EQ(events[5].tool_call.arguments_json, "");  // the arguments follow as deltas
  EXPECT_EQ(events[6].index, 0);
  EXPECT_EQ(events[6].text, R"({"city":"Paris"})");
  EXPECT_EQ(events[7].index, 1);
  EXPECT_EQ(events[7].tool_call.id, "call_2");
  EXPECT_EQ(events[8].index, 1);
  EXPECT_EQ(events[9].finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(events[10].usage.output_tokens, 20);
  EXPECT_EQ(events[10].usage.reasoning_tokens, 5);
  EXPECT_TRUE(events[10].usage.reported);
}

TEST(ResponseEventsTest, TheStartCarriesOnlyTheInputCounts) {
  const StreamEvent start = EventsOf(RichResponse()).front();
  EXPECT_TRUE(start.usage.reported);
  EXPECT_EQ(start.usage.input_tokens, 10);
  EXPECT_EQ(start.usage.cached_input_tokens, 100);
  EXPECT_EQ(start.usage.cache_write_tokens, 4);
  EXPECT_EQ(start.usage.cache_write_1h_tokens, 2);
  EXPECT_EQ(start.usage.output_tokens, 0);
  EXPECT_EQ(start.usage.reasoning_tokens, 0);
}

TEST(ResponseEventsTest, AnAnswerWithoutUsageReportsNone) {
  ChatResponse response = RichResponse();
  response.usage = {};
  const std::vector<StreamEvent> events = EventsOf(response);
  EXPECT_FALSE(events.front().usage.reported);
  for (const StreamEvent& event : events) EXPECT_NE(event.kind, Kind::kUsage);
}

TEST(ResponseEventsTest, TheFinishCarriesTheStopSequence) {
  ChatResponse response;
  response.message.content = {Part(ContentPart::Kind::kText, "one two")};
  response.finish_reason = FinishReason::kStop;
  response.stop_sequence = "END";
  const std::vector<StreamEvent> events = EventsOf(response);
  EXPECT_EQ(KindsOf(events),
            (std::vector<Kind>{Kind::kStart, Kind::kTextDelta, Kind::kFinish, Kind::kEnd}));
  EXPECT_EQ(events[2].text, "END");
  EXPECT_EQ(events[2].finish_reason, FinishReason::kStop);
}

TEST(ResponseEventsTest, EmptyTextAndUnsignedThinkingAddNoEventsOfTheirOwn) {
  ChatResponse response;
  response.message.content = {Part(ContentPart::Kind::kText, ""),
                              Part(ContentPart::Kind::kThinking, "hmm"),
                              Part(ContentPart::Kind::kImageUrl, "")};
  EXPECT_EQ(KindsOf(EventsOf(response)),
            (std::vector<Kind>{Kind::kStart, Kind::kThinkingDelta, Kind::kFinish, Kind::kEnd}));
}

TEST(ResponseEventsTest, ASignatureWithoutThinkingTextIsOnlyItsSignature) {
  ChatResponse response;
  response.message.content = {Part(ContentPart::Kind::kThinking, "", "sig")};
  EXPECT_EQ(KindsOf(EventsOf(response)),
            (std::vector<Kind>{Kind::kStart, Kind::kThinkingSignature, Kind::kFinish, Kind::kEnd}));
}

// Every piece at most kReplayPieceBytes, none starting inside a UTF-8 sequence, and together the
// text as it was.
void ExpectPieces(const std::string& text, Kind kind) {
  ChatResponse response;
  if (kind == Kind::kToolCallDelta) {
    response.message.tool_calls = {{"c", "n", text}};
  } else {
    response.message.content = {Part(kind == Kind::kTextDelta ? ContentPart::Kind::kText
                                                              : ContentPart::Kind::kThinking,
                                     text)};
  }
  std::string joined;
  int pieces = 0;
  for (const StreamEvent& event : EventsOf(response)) {
    if (event.kind != kind) continue;
    ++pieces;
    EXPECT_LE(event.text.size(), kReplayPieceBytes);
    ASSERT_FALSE(event.text.empty());
    EXPECT_NE(static_cast<unsigned char>(event.text[0]) & 0xC0, 0x80) << "piece " << pieces;
    joined += event.text;
  }
  EXPECT_EQ(joined, text);
  EXPECT_GE(pieces, static_cast<int>(text.size() / kReplayPieceBytes));
}

TEST(ResponseEventsTest, LongTextIsSplitIntoPiecesOnUtf8Boundaries) {
  std::string mixed;
  const char* const kSequences[] = {"a", "\xC3\xA9", "\xE2\x82\xAC"};  // 1, 2 and 3 bytes
  for (int i = 0; i < 2000; ++i) mixed += kSequences[i % 3];
  for (int i = 0; i < 500; ++i) mixed += "\xF0\x9F\x98\x80";  // 4-byte sequences
  ExpectPieces(mixed, Kind::kTextDelta);
  ExpectPieces(mixed, Kind::kThinkingDelta);
  ExpectPieces(std::string(5000, 'x'), Kind::kTextDelta);
  ExpectPieces(std::string(kReplayPieceBytes, 'x'), Kind::kTextDelta);
  ExpectPieces(R"({"text":")" + mixed + R"("})", Kind::kToolCallDelta);
}

TEST(ResponseEventsTest, TextThatIsNotUtf8IsStillCutAndKeptWhole) {
  const std::string continuation_bytes(3000, '\x80');
  ChatResponse response;
  response.message.content = {Part(ContentPart::Kind::kText, continuation_bytes)};
  std::string joined;
  for (const StreamEvent& event : EventsOf(response)) {
    if (event.kind != Kind::kTextDelta) continue;
    EXPECT_LE(event.text.size(), kReplayPieceBytes);
    joined += event.text;
  }
  EXPECT_EQ(joined, continuation_bytes);
}

}  // namespace
}  // namespace switchyard::canonical

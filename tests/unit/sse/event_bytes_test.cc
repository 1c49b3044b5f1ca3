// The pass-through relay's framing (defect 7 of issue 11): it wrote "data: " + event.data, so an
// event whose data spanned two `data:` lines reached the client with a bare continuation line, and
// `id:` / `retry:` lines were dropped. Each event's own bytes (Event::raw) are relayed instead;
// these tests feed streams split at every byte and require the relayed bytes to be the stream's.
#include "sse/event_bytes.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/redact.h"
#include "sse/sse_parser.h"

namespace switchyard::sse {
namespace {

// What the relay sends for `stream` fed in two pieces split at `split`.
std::string Relay(std::string_view stream, std::size_t split) {
  SseParser parser;
  std::string out;
  auto on_event = [&](const Event& event) { AppendEventBytes(event, out); };
  EXPECT_TRUE(parser.Feed(stream.substr(0, split), on_event).ok());
  EXPECT_TRUE(parser.Feed(stream.substr(split), on_event).ok());
  parser.Finish(on_event);
  return out;
}

void ExpectRelayedByteForByte(std::string_view stream) {
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    EXPECT_EQ(Relay(stream, split), stream) << "split at " << split;
  }
}

TEST(EventBytesTest, MultiLineDataIsRelayedAsItCame) {
  ExpectRelayedByteForByte("data: {\"a\":\ndata: 1}\n\ndata: [DONE]\n\n");
}

TEST(EventBytesTest, IdEventAndRetryLinesAreKept) {
  ExpectRelayedByteForByte(
      "id: 1\nevent: message_start\ndata: {\"type\":\"message_start\"}\n\n"
      "retry: 3000\nid: 2\ndata: x\n\n");
}

TEST(EventBytesTest, CommentsAndCommentLinesInsideEventsAreKept) {
  ExpectRelayedByteForByte(": keep-alive\n: second line\n\n: note\ndata: y\n\n");
}

TEST(EventBytesTest, CrlfAndCrLineEndsAreKept) {
  ExpectRelayedByteForByte("id: 7\r\ndata: a\r\ndata: b\r\n\r\nevent: e\rdata: c\r\r");
}

TEST(EventBytesTest, FieldsWithoutASpaceAndUnknownFieldsAreKept) {
  ExpectRelayedByteForByte("data:x\nfoo: bar\ndata\n\n");
}

// A stream that closed right after its last line: the event is completed, so that what the
// gateway appends next (its cost comment) stays a separate event.
TEST(EventBytesTest, AnUnterminatedLastEventIsCompleted) {
  EXPECT_EQ(Relay("data: a\n\ndata: b", 3), "data: a\n\ndata: b\n\n");
  EXPECT_EQ(Relay("data: b\n", 8), "data: b\n\n");
  EXPECT_EQ(Relay("data: b\r", 2), "data: b\r\r");  // not "\r\n": that would be one line end
}

TEST(EventBytesTest, ChangedBytesAreFramedAsAnEvent) {
  std::string out;
  AppendEventBytes(RedactSecrets("data: {\"error\":\"sk-abcdefghijklmnop\"}\n\n", ""), out);
  AppendEventBytes(std::string_view("data: x"), out);
  EXPECT_EQ(out, "data: {\"error\":\"[redacted]\"}\n\ndata: x\n\n");
}

TEST(EventBytesTest, RawIsTheWholeBlockWhateverTheSplit) {
  const std::string_view stream = "event: a\ndata: 1\ndata: 2\nid: 9\n\n";
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    SseParser parser;
    std::vector<std::string> raws;
    auto on_event = [&](const Event& event) { raws.emplace_back(event.raw); };
    ASSERT_TRUE(parser.Feed(stream.substr(0, split), on_event).ok());
    ASSERT_TRUE(parser.Feed(stream.substr(split), on_event).ok());
    ASSERT_EQ(raws, std::vector<std::string>{std::string(stream)}) << "split at " << split;
  }
}

}  // namespace
}  // namespace switchyard::sse

#include "sse/sse_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/strings.h"

namespace switchyard::sse {
namespace {

// An owned copy of an Event, so that tests can keep it after the callback.
struct Ev {
  std::string event;
  std::string data;
  std::string id;
  bool is_comment = false;
  bool operator==(const Ev&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
  return os << "{event=" << testing::PrintToString(e.event)
            << " data=" << testing::PrintToString(e.data) << " id=" << testing::PrintToString(e.id)
            << (e.is_comment ? " comment" : "") << "}";
}

Ev Data(std::string data, std::string event = {}, std::string id = {}) {
  return Ev{std::move(event), std::move(data), std::move(id), false};
}
Ev Comment(std::string text) { return Ev{{}, std::move(text), {}, true}; }

struct Outcome {
  std::vector<Ev> events;
  bool ok = true;
};

Outcome FeedChunks(const std::vector<std::string>& chunks, bool finish = true,
                   std::size_t max_event_bytes = SseParser::kDefaultMaxEventBytes) {
  SseParser parser(max_event_bytes);
  Outcome outcome;
  auto collect = [&](const Event& e) {
    outcome.events.push_back(
        Ev{std::string(e.event), std::string(e.data), std::string(e.id), e.is_comment});
  };
  for (const std::string& chunk : chunks) {
    Status status = parser.Feed(chunk, collect);
    if (!status.ok()) {
      outcome.ok = false;
      EXPECT_EQ(status.error().kind, ErrorKind::kUpstreamProtocol);
      return outcome;
    }
  }
  if (finish) parser.Finish(collect);
  return outcome;
}

std::vector<Ev> ParseWhole(std::string_view stream) {
  return FeedChunks({std::string(stream)}).events;
}

std::vector<std::string> SplitBytes(std::string_view stream) {
  std::vector<std::string> chunks;
  for (char c : stream) chunks.emplace_back(1, c);
  return chunks;
}

std::vector<Ev> ParseByteByByte(std::string_view stream) {
  return FeedChunks(SplitBytes(stream)).events;
}

std::vector<std::string> SplitRandomly(std::string_view stream, std::mt19937& rng) {
  std::vector<std::string> chunks;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    std::size_t n = std::uniform_int_distribution<std::size_t>(0, 12)(rng);
    chunks.emplace_back(stream.substr(pos, n));
    pos += std::min(n, stream.size() - pos);
  }
  return chunks;
}

TEST(SseParserTest, DataWithOrWithoutSpaceStripsExactlyOne) {
  EXPECT_EQ(ParseWhole("data: a\n\ndata:b\n\ndata:  c\n\n"),
            (std::vector<Ev>{Data("a"), Data("b"), Data(" c")}));
}

TEST(SseParserTest, LineEndingsLfCrAndCrlf) {
  const std::vector<Ev> expected{Data("a"), Data("b")};
  EXPECT_EQ(ParseWhole("data: a\n\ndata: b\n\n"), expected);
  EXPECT_EQ(ParseWhole("data: a\r\rdata: b\r\r"), expected);
  EXPECT_EQ(ParseWhole("data: a\r\n\r\ndata: b\r\n\r\n"), expected);
  EXPECT_EQ(ParseWhole("data: a\r\n\ndata: b\n\r\n"), expected);
}

TEST(SseParserTest, CrlfSplitAcrossChunksIsOneLineEnding) {
  // The CR ends one chunk and the LF starts the next: no extra empty line, so no early dispatch.
  EXPECT_EQ(FeedChunks({"data: a\r", "\ndata: b\r", "\n\r", "\n"}).events,
            std::vector<Ev>{Data("a\nb")});
  // The blank line's own CRLF split.
  EXPECT_EQ(FeedChunks({"data: a\r\n\r", "\ndata: b\r\n\r", "\n"}).events,
            (std::vector<Ev>{Data("a"), Data("b")}));
  // A CR at the end of a chunk followed by something other than LF is a line ending by itself.
  EXPECT_EQ(FeedChunks({"data: a\r", "\r", "data: b\r", "\r"}).events,
            (std::vector<Ev>{Data("a"), Data("b")}));
}

TEST(SseParserTest, MultipleDataLinesAreJoinedWithNewline) {
  EXPECT_EQ(ParseWhole("data: one\ndata:two\ndata\ndata: four\n\n"),
            std::vector<Ev>{Data("one\ntwo\n\nfour")});
}

TEST(SseParserTest, CommentOnlyBlockIsReportedOnce) {
  EXPECT_EQ(ParseWhole(": OPENROUTER PROCESSING\n\n"),
            std::vector<Ev>{Comment("OPENROUTER PROCESSING")});
  EXPECT_EQ(ParseWhole(":first\n: second\n\n"), std::vector<Ev>{Comment("first")});
  EXPECT_EQ(ParseWhole(":\n\n"), std::vector<Ev>{Comment("")});
}

TEST(SseParserTest, CommentsInsideAnEventAreIgnored) {
  EXPECT_EQ(ParseWhole(": keep-alive\ndata: x\n: more\n\n"), std::vector<Ev>{Data("x")});
}

TEST(SseParserTest, UnknownFieldsAndRetryAreIgnored) {
  EXPECT_EQ(ParseWhole("foo: bar\nretry: 100\ndata: x\nbaz\n\n"), std::vector<Ev>{Data("x")});
  EXPECT_TRUE(ParseWhole("foo: bar\nretry: 100\n\n").empty());
}

TEST(SseParserTest, BlankLinesWithoutDataOrEventDispatchNothing) {
  EXPECT_TRUE(ParseWhole("\n\n\r\n\r\r").empty());
  EXPECT_TRUE(ParseWhole("id: 7\n\n").empty());
}

TEST(SseParserTest, EventFieldIsKeptAndEventWithoutDataIsDispatched) {
  EXPECT_EQ(ParseWhole("event: message_stop\ndata: {}\n\n"),
            std::vector<Ev>{Data("{}", "message_stop")});
  EXPECT_EQ(ParseWhole("event: ping\n\n"), std::vector<Ev>{Data("", "ping")});
  EXPECT_EQ(ParseWhole("event: a\nevent: b\ndata: x\n\n"), std::vector<Ev>{Data("x", "b")});
}

TEST(SseParserTest, IdFieldIsReported) {
  EXPECT_EQ(ParseWhole("id: 42\ndata: x\n\n"), std::vector<Ev>{Data("x", "", "42")});
}

TEST(SseParserTest, FieldWithoutColonHasEmptyValue) {
  EXPECT_EQ(ParseWhole("data\n\n"), std::vector<Ev>{Data("")});
  EXPECT_EQ(ParseWhole("data:\n\n"), std::vector<Ev>{Data("")});
}

TEST(SseParserTest, TrailingWhitespaceIsKeptInData) {
  std::vector<Ev> events = ParseWhole("data: {\"type\":\"message_stop\"}      \n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\"type\":\"message_stop\"}      ");
  EXPECT_EQ(TrimWhitespace(events[0].data), "{\"type\":\"message_stop\"}");
}

TEST(SseParserTest, LeadingBomIsSkippedEvenWhenSplit) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(ParseWhole(bom + "data: a\n\n"), std::vector<Ev>{Data("a")});
  EXPECT_EQ(ParseByteByByte(bom + "data: a\n\n"), std::vector<Ev>{Data("a")});
  // Only one, and only at the very start: a second BOM makes the line an unknown field.
  EXPECT_TRUE(ParseWhole(bom + bom + "data: a\n\n").empty());
  EXPECT_EQ(ParseWhole("data: " + bom + "a\n\n"), std::vector<Ev>{Data(bom + "a")});
  // A BOM prefix that turns out not to be one is content.
  EXPECT_EQ(FeedChunks({"\xEF", "\xBB", "x\n", "data: a\n\n"}).events, std::vector<Ev>{Data("a")});
  EXPECT_TRUE(FeedChunks({"\xEF\xBB"}).events.empty());
}

TEST(SseParserTest, FinishDispatchesPendingDataWithoutBlankLine) {
  EXPECT_EQ(ParseWhole("data: a\n\ndata: b\n"), (std::vector<Ev>{Data("a"), Data("b")}));
  EXPECT_EQ(ParseWhole("data: a\n\ndata: b"), (std::vector<Ev>{Data("a"), Data("b")}));
  EXPECT_EQ(ParseWhole("event: e\ndata: b\r"), std::vector<Ev>{Data("b", "e")});
  // Nothing without data.
  EXPECT_TRUE(ParseWhole("event: e\n").empty());
  EXPECT_TRUE(ParseWhole(": comment\n").empty());
  // Without Finish, nothing pending is dispatched.
  EXPECT_TRUE(FeedChunks({"data: b\n"}, /*finish=*/false).events.empty());
}

TEST(SseParserTest, FinishResetsTheParser) {
  SseParser parser;
  std::vector<std::string> data;
  auto collect = [&](const Event& e) { data.emplace_back(e.data); };
  ASSERT_TRUE(parser.Feed("data: a\n\ndata: partial", collect).ok());
  parser.Finish(collect);
  ASSERT_TRUE(parser.Feed(std::string("\xEF\xBB\xBF") + "data: b\n\n", collect).ok());
  parser.Finish(collect);
  EXPECT_EQ(data, (std::vector<std::string>{"a", "partial", "b"}));
}

TEST(SseParserTest, OversizeEventIsAnError) {
  // "data: 0123456789\n" is 17 bytes; the blank line does not count.
  const std::string stream = "data: x\n\ndata: 0123456789\n\ndata: y\n\n";
  Outcome at_limit = FeedChunks({stream}, true, 17);
  EXPECT_TRUE(at_limit.ok);
  EXPECT_EQ(at_limit.events.size(), 3u);

  Outcome whole = FeedChunks({stream}, true, 16);
  EXPECT_FALSE(whole.ok);
  EXPECT_EQ(whole.events, std::vector<Ev>{Data("x")});
  Outcome split = FeedChunks(SplitBytes(stream), true, 16);
  EXPECT_FALSE(split.ok);
  EXPECT_EQ(split.events, std::vector<Ev>{Data("x")});

  // An event that never ends cannot grow the buffer past the limit.
  EXPECT_FALSE(FeedChunks({"data: ", std::string(100, 'x')}, true, 64).ok);
}

TEST(SseParserTest, ParserIsUnusableAfterAnError) {
  SseParser parser(8);
  int count = 0;
  auto collect = [&](const Event&) { ++count; };
  Status first = parser.Feed("data: 0123456789\n\n", collect);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().kind, ErrorKind::kUpstreamProtocol);
  EXPECT_NE(first.error().message.find("exceeds"), std::string::npos);
  EXPECT_FALSE(parser.Feed("data: a\n\n", collect).ok());
  EXPECT_EQ(count, 0);
}

TEST(SseParserTest, EventWithinOneChunkIsNotCopied) {
  const std::string chunk = "data: {\"a\":1}\n\nevent: e\ndata: tail";
  SseParser parser;
  std::vector<bool> inside;
  auto check = [&](const Event& e) {
    inside.push_back(e.data.data() >= chunk.data() &&
                     e.data.data() + e.data.size() <= chunk.data() + chunk.size());
  };
  ASSERT_TRUE(parser.Feed(chunk, check).ok());
  ASSERT_TRUE(parser.Feed("\n\n", check).ok());  // completes the spanning event from the buffer
  EXPECT_EQ(inside, (std::vector<bool>{true, false}));
}

TEST(SseParserTest, AcceptsConstAndNonCopyableCallables) {
  struct Counter {
    explicit Counter(int* c) : count(c) {}
    Counter(const Counter&) = delete;
    int* count;
    void operator()(const Event&) const { ++*count; }
  };
  int count = 0;
  const Counter counter{&count};
  SseParser parser;
  ASSERT_TRUE(parser.Feed("data: a\n\ndata: b\n", counter).ok());
  parser.Finish(counter);
  EXPECT_EQ(count, 2);
}

TEST(SseParserTest, MultiByteUtf8SplitAcrossChunksStaysIntact) {
  const std::string text = "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x8E\x89";
  const std::string stream = "data: " + text + "\n\ndata: " + text + "\r\n\r\n";
  EXPECT_EQ(ParseByteByByte(stream), (std::vector<Ev>{Data(text), Data(text)}));
}

// Recorded-shape samples from wire-formats.md.
constexpr std::string_view kOpenAiStream =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    ": OPENROUTER PROCESSING\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
    "\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":58,"
    "\"completion_tokens\":17,\"total_tokens\":75}}\n\n"
    "data: [DONE]\n\n";

constexpr std::string_view kAnthropicStream =
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"content\":[]}}\n\n"
    "event: ping\n"
    "data: {\"type\": \"ping\"}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\","
    "\"text\":\"Checking.\"}}\n\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}      \n\n";

constexpr std::string_view kGeminiStream =
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"}}]}"
    "\r\n\r\n"
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},"
    "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":9}}\r\n\r\n";

TEST(SseParserTest, OpenAiSample) {
  std::vector<Ev> events = ParseWhole(kOpenAiStream);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[1], Comment("OPENROUTER PROCESSING"));
  EXPECT_EQ(events[4], Data("[DONE]"));
  EXPECT_EQ(events[0].data.substr(0, 16), "{\"id\":\"chatcmpl-");
  EXPECT_EQ(events[0].event, "");
}

TEST(SseParserTest, AnthropicSample) {
  std::vector<Ev> events = ParseWhole(kAnthropicStream);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event, "message_start");
  EXPECT_EQ(events[1], Data("{\"type\": \"ping\"}", "ping"));
  EXPECT_EQ(events[2].event, "content_block_delta");
  EXPECT_EQ(events[3].event, "message_stop");
  EXPECT_EQ(TrimWhitespace(events[3].data), "{\"type\":\"message_stop\"}");
}

TEST(SseParserTest, GeminiSample) {
  std::vector<Ev> events = ParseWhole(kGeminiStream);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data,
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"}}]}");
  EXPECT_EQ(events[1].data.back(), '}');
}

// A random stream over the tokens that matter to the grammar.
std::string RandomStream(std::mt19937& rng) {
  static const std::vector<std::string> kTokens = {
      "data:", "data: ", "event: ", "id: ", ":", ": c", "retry: 1", "x", "{\"a\":1}", "  ",
      "\n",    "\r",     "\r\n",    "\n\n", "\r\r", "\r\n\r\n", "\xC3\xA9", "\xEF\xBB\xBF", "data"};
  std::uniform_int_distribution<std::size_t> pick(0, kTokens.size() - 1);
  std::string stream;
  const int n = std::uniform_int_distribution<int>(0, 60)(rng);
  for (int i = 0; i < n; ++i) stream += kTokens[pick(rng)];
  return stream;
}

TEST(SseParserPropertyTest, ByteByByteAndRandomSplitsMatchWholeFeed) {
  std::mt19937 rng(20240521);
  std::vector<std::string> streams = {std::string(kOpenAiStream), std::string(kAnthropicStream),
                                      std::string(kGeminiStream)};
  // CR-only and CRLF variants of the samples.
  for (std::string_view sample : {kOpenAiStream, kAnthropicStream}) {
    std::string cr, crlf;
    for (char c : sample) {
      cr += c == '\n' ? '\r' : c;
      crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    streams.push_back(cr);
    streams.push_back(crlf);
  }
  for (int i = 0; i < 300; ++i) streams.push_back(RandomStream(rng));

  for (const std::string& stream : streams) {
    SCOPED_TRACE(testing::PrintToString(stream));
    const std::vector<Ev> whole = ParseWhole(stream);
    EXPECT_EQ(ParseByteByByte(stream), whole);
    for (int k = 0; k < 4; ++k) EXPECT_EQ(FeedChunks(SplitRandomly(stream, rng)).events, whole);
  }
  // The CR-only and CRLF variants parse to the same events as the LF original.
  EXPECT_EQ(ParseWhole(streams[3]), ParseWhole(kOpenAiStream));
  EXPECT_EQ(ParseWhole(streams[4]), ParseWhole(kOpenAiStream));
  EXPECT_EQ(ParseWhole(streams[5]), ParseWhole(kAnthropicStream));
  EXPECT_EQ(ParseWhole(streams[6]), ParseWhole(kAnthropicStream));
}

TEST(TrimWhitespaceTest, TrimsBothEnds) {
  EXPECT_EQ(TrimWhitespace("  {\"a\":1} \t\r\n"), "{\"a\":1}");
  EXPECT_EQ(TrimWhitespace(" \t "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
  EXPECT_EQ(TrimWhitespace("a b"), "a b");
}

}  // namespace
}  // namespace switchyard::sse

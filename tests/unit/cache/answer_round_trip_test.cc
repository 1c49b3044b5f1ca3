// A cached answer replays in any client API and either mode. For each client format: a rich
// answer → EventsOf → that format's stream encoder → SSE that the SDK rules accept → parsed
// back and decoded by the SAME format's provider adapter → ResponseAssembler → the answer again;
// the answer → that format's JSON body → the adapter's DecodeResponse → the answer again; and
// the answer → entry bytes → DecodeEntry → the answer again.
//
// What a format cannot carry is taken off the original explicitly (ExpectedThrough), so that
// every other field must survive exactly:
//   OpenAI Chat Completions: thinking signatures and redacted thinking (its adapter reads only
//     reasoning_content), the matched stop sequence, the 1-hour cache-write class (one
//     cache_write_tokens count: it comes back as 5-minute writes), text parts (joined into one).
//   Anthropic Messages: `created` (its answers have no timestamp; comes back 0); and its JSON
//     body carries tool arguments as an object, so they come back re-serialized (compact, with
//     \u escapes undone) — the rich answer's arguments are written in that form already.
//   Both: a finish reason of kError/kUnknown comes back as kStop.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cache/cache_entry.h"
#include "canonical/response_events.h"
#include "capture/response_assembler.h"
#include "inbound/inbound_codec.h"
#include "providers/provider_adapter.h"
#include "sse/sse_parser.h"
#include "unit/inbound/sdk_stream_checks.h"

namespace switchyard::cache {
namespace {

using canonical::ChatResponse;
using canonical::ContentPart;
using canonical::FinishReason;
using PartKind = canonical::ContentPart::Kind;

ContentPart Part(PartKind kind, std::string text, std::string data = {}) {
  ContentPart part;
  part.kind = kind;
  part.text = std::move(text);
  part.data = std::move(data);
  return part;
}

// Text longer than one replay piece, with multi-byte characters across the piece boundaries.
std::string LongText() {
  std::string text;
  for (int i = 0; text.size() < 3 * canonical::kReplayPieceBytes; ++i) {
    text += "Paris is 18\xC2\xB0""C, Rome 21\xC2\xB0""C \xE2\x82\xAC ";
    text += std::to_string(i);
    text += i % 7 == 0 ? " \xF0\x9F\x8C\xA4\n" : " ";
  }
  return text;
}

// The rich answer: thinking with its signature, redacted thinking, text, two tool calls, the
// full usage. Tool arguments are compact JSON with raw UTF-8: Anthropic's JSON body carries them
// as an object, and its adapter writes them back in that form.
ChatResponse RichAnswer() {
  ChatResponse response;
  response.id = "msg_01AbC";
  response.model = "claude-x-2";
  response.created = 1700000123;
  response.message.role = canonical::Role::kAssistant;
  response.message.content = {
      Part(PartKind::kThinking, "The user wants both cities; call the tool twice.", "sig-EqQ=="),
      Part(PartKind::kRedactedThinking, "", "EmwKAhgBEgy3va3pzix/LafPsn4a"),
      Part(PartKind::kText, LongText())};
  response.message.tool_calls = {
      {"toolu_01", "get_weather", R"({"city":"Paris","unit":"celsius"})"},
      {"toolu_02", "get_weather",
       R"({"city":"Rome","days":[1,2,3],"note":"caf)" "\xC3\xA9" R"( \"x\""})"}};
  response.finish_reason = FinishReason::kToolCalls;
  response.usage.input_tokens = 10;
  response.usage.cached_input_tokens = 100;
  response.usage.cache_write_tokens = 4;
  response.usage.cache_write_1h_tokens = 2;
  response.usage.output_tokens = 120;
  response.usage.reasoning_tokens = 35;
  response.usage.reported = true;
  return response;
}

// A plain answer a stop sequence ended.
ChatResponse StoppedAnswer() {
  ChatResponse response;
  response.id = "chatcmpl-9x";
  response.model = "gpt-x";
  response.created = 1700000456;
  response.message.role = canonical::Role::kAssistant;
  response.message.content = {Part(PartKind::kText, "One, two, three")};
  response.finish_reason = FinishReason::kStop;
  response.stop_sequence = "four";
  response.usage.input_tokens = 5;
  response.usage.output_tokens = 4;
  response.usage.reported = true;
  return response;
}

// `response` less what `format` cannot carry (the file comment lists it).
ChatResponse ExpectedThrough(wire::Format format, ChatResponse response) {
  if (response.finish_reason == FinishReason::kError ||
      response.finish_reason == FinishReason::kUnknown) {
    response.finish_reason = FinishReason::kStop;
  }
  if (format == wire::Format::kAnthropic) {
    response.created = 0;
    return response;
  }
  std::vector<ContentPart> kept;
  for (ContentPart& part : response.message.content) {
    if (part.kind == PartKind::kRedactedThinking) continue;
    if (part.kind == PartKind::kThinking) part.data.clear();
    if (part.kind == PartKind::kText && !kept.empty() && kept.back().kind == PartKind::kText) {
      kept.back().text += part.text;
      continue;
    }
    kept.push_back(std::move(part));
  }
  response.message.content = std::move(kept);
  response.stop_sequence.clear();
  response.usage.cache_write_tokens += response.usage.cache_write_1h_tokens;
  response.usage.cache_write_1h_tokens = 0;
  return response;
}

void ExpectSameAnswer(const ChatResponse& got, const ChatResponse& want, std::string_view how) {
  SCOPED_TRACE(std::string(how));
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.model, want.model);
  EXPECT_EQ(got.created, want.created);
  EXPECT_EQ(got.message.role, want.message.role);
  ASSERT_EQ(got.message.content.size(), want.message.content.size());
  for (std::size_t i = 0; i < got.message.content.size(); ++i) {
    const ContentPart& g = got.message.content[i];
    const ContentPart& w = want.message.content[i];
    EXPECT_EQ(g.kind, w.kind) << "part " << i;
    EXPECT_EQ(g.text, w.text) << "part " << i;
    EXPECT_EQ(g.data, w.data) << "part " << i;
    EXPECT_EQ(g.url, w.url) << "part " << i;
    EXPECT_EQ(g.media_type, w.media_type) << "part " << i;
  }
  ASSERT_EQ(got.message.tool_calls.size(), want.message.tool_calls.size());
  for (std::size_t i = 0; i < got.message.tool_calls.size(); ++i) {
    EXPECT_EQ(got.message.tool_calls[i].id, want.message.tool_calls[i].id);
    EXPECT_EQ(got.message.tool_calls[i].name, want.message.tool_calls[i].name);
    EXPECT_EQ(got.message.tool_calls[i].arguments_json, want.message.tool_calls[i].arguments_json);
  }
  EXPECT_EQ(got.finish_reason, want.finish_reason);
  EXPECT_EQ(got.stop_sequence, want.stop_sequence);
  EXPECT_EQ(got.usage.input_tokens, want.usage.input_tokens);
  EXPECT_EQ(got.usage.cached_input_tokens, want.usage.cached_input_tokens);
  EXPECT_EQ(got.usage.cache_write_tokens, want.usage.cache_write_tokens);
  EXPECT_EQ(got.usage.cache_write_1h_tokens, want.usage.cache_write_1h_tokens);
  EXPECT_EQ(got.usage.output_tokens, want.usage.output_tokens);
  EXPECT_EQ(got.usage.reasoning_tokens, want.usage.reasoning_tokens);
  EXPECT_EQ(got.usage.reported, want.usage.reported);
  EXPECT_EQ(got.usage.implausible == nullptr, want.usage.implausible == nullptr);
}

// The answer replayed as `format`'s client stream: what a cache hit sends a streaming client.
std::string ReplayedStream(wire::Format format, const ChatResponse& response) {
  inbound::StreamEncoderOptions options;
  options.model = "fallback-model";
  options.id = "fallback-id";
  options.created = response.created;  // OpenAI chunks take it from here, not from kStart
  options.include_usage = true;
  std::unique_ptr<inbound::StreamEncoder> encoder =
      inbound::CodecFor(format)->NewStreamEncoder(options);
  std::string sse;
  for (const canonical::StreamEvent& event : canonical::EventsOf(response)) {
    encoder->Encode(event, sse);
  }
  encoder->Finish(sse, "");
  EXPECT_FALSE(encoder->failed());
  return sse;
}

// `sse` read back the way the gateway reads a provider's stream of that format, fed in odd-sized
// chunks so that events span them, into the assembler.
std::optional<ChatResponse> AssembledFrom(wire::Format format, std::string_view sse) {
  std::unique_ptr<providers::StreamDecoder> decoder =
      providers::AdapterFor(format)->NewStreamDecoder();
  capture::ResponseAssembler assembler(1 << 20);
  std::vector<canonical::StreamEvent> events;
  sse::SseParser parser;
  auto on_event = [&](const sse::Event& event) {
    if (event.is_comment) return;
    events.clear();
    decoder->Decode(event.event, event.data, events);
    for (const canonical::StreamEvent& decoded : events) assembler.Observe(decoded);
  };
  for (std::size_t at = 0; at < sse.size(); at += 37) {
    EXPECT_TRUE(parser.Feed(sse.substr(at, 37), on_event).ok());
  }
  parser.Finish(on_event);
  EXPECT_TRUE(decoder->saw_end());
  EXPECT_TRUE(assembler.finished());
  EXPECT_FALSE(assembler.failed());
  EXPECT_FALSE(assembler.overflowed());
  return std::move(assembler).Take();
}

// The SDK's own rules accept the replayed stream.
void ExpectSdkAccepts(wire::Format format, std::string_view sse) {
  using namespace ::switchyard::testing_fixtures;
  if (format == wire::Format::kOpenAI) {
    OpenAIAccumulated acc = CheckOpenAIStream(sse, true);
    EXPECT_TRUE(acc.saw_done);
    EXPECT_TRUE(acc.saw_usage_chunk);
  } else {
    AnthropicAccumulated acc = CheckAnthropicStream(sse);
    EXPECT_TRUE(acc.saw_stop);
  }
}

struct Case {
  wire::Format format;
  const char* name;
  ChatResponse (*answer)();
};

const Case kCases[] = {
    {wire::Format::kOpenAI, "openai/rich", RichAnswer},
    {wire::Format::kOpenAI, "openai/stopped", StoppedAnswer},
    {wire::Format::kAnthropic, "anthropic/rich", RichAnswer},
    {wire::Format::kAnthropic, "anthropic/stopped", StoppedAnswer},
};

TEST(AnswerRoundTripTest, AnAnswerReplayedAsAStreamDecodesBackToIt) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const ChatResponse original = c.answer();
    const std::string sse = ReplayedStream(c.format, original);
    ExpectSdkAccepts(c.format, sse);
    std::optional<ChatResponse> back = AssembledFrom(c.format, sse);
    ASSERT_TRUE(back.has_value());
    ExpectSameAnswer(*back, ExpectedThrough(c.format, original), "stream");
  }
}

TEST(AnswerRoundTripTest, AnAnswerReplayedAsJsonDecodesBackToIt) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const ChatResponse original = c.answer();
    const std::string body = inbound::CodecFor(c.format)->EncodeResponse(original);
    Result<ChatResponse> back = providers::AdapterFor(c.format)->DecodeResponse(body);
    ASSERT_TRUE(back.ok()) << back.error().message;
    ExpectSameAnswer(*back, ExpectedThrough(c.format, original), "json");
  }
}

TEST(AnswerRoundTripTest, AnAnswerStoredAsEntryBytesComesBackWhole) {
  for (ChatResponse (*answer)() : {RichAnswer, StoppedAnswer}) {
    CacheEntry entry{answer(), "anthropic-main", "claude-x-2-20250101", 4200, "req_1",
                     1700000000123, false};
    Result<CacheEntry> back = DecodeEntry(EncodeEntry(entry), 1 << 20);
    ASSERT_TRUE(back.ok()) << back.error().message;
    ExpectSameAnswer(back->response, entry.response, "entry");
    EXPECT_EQ(back->cost_nanos, std::optional<std::int64_t>(4200));
  }
}

// The cache's whole life in both directions and across formats: a streamed answer assembled,
// stored, read back and replayed as JSON to an Anthropic client; a JSON answer stored, read back
// and replayed as a stream to an OpenAI client.
TEST(AnswerRoundTripTest, AStoredStreamReplaysAsJsonAndAStoredJsonAnswerAsAStream) {
  const ChatResponse original = RichAnswer();
  std::optional<ChatResponse> streamed =
      AssembledFrom(wire::Format::kAnthropic, ReplayedStream(wire::Format::kAnthropic, original));
  ASSERT_TRUE(streamed.has_value());
  CacheEntry entry{*streamed, "anthropic-main", "claude-x-2", std::nullopt, "req_2", 1, true};
  Result<CacheEntry> stored = DecodeEntry(EncodeEntry(entry), 1 << 20);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_TRUE(stored->from_stream);
  const std::string body =
      inbound::CodecFor(wire::Format::kAnthropic)->EncodeResponse(stored->response);
  Result<ChatResponse> as_json =
      providers::AdapterFor(wire::Format::kAnthropic)->DecodeResponse(body);
  ASSERT_TRUE(as_json.ok());
  ExpectSameAnswer(*as_json, ExpectedThrough(wire::Format::kAnthropic, original), "stream→json");

  const std::string json_body = inbound::CodecFor(wire::Format::kOpenAI)->EncodeResponse(original);
  Result<ChatResponse> decoded =
      providers::AdapterFor(wire::Format::kOpenAI)->DecodeResponse(json_body);
  ASSERT_TRUE(decoded.ok());
  CacheEntry json_entry{*decoded, "openai", "gpt-x", 1, "req_3", 2, false};
  Result<CacheEntry> json_stored = DecodeEntry(EncodeEntry(json_entry), 1 << 20);
  ASSERT_TRUE(json_stored.ok());
  const std::string sse = ReplayedStream(wire::Format::kOpenAI, json_stored->response);
  ExpectSdkAccepts(wire::Format::kOpenAI, sse);
  std::optional<ChatResponse> as_stream = AssembledFrom(wire::Format::kOpenAI, sse);
  ASSERT_TRUE(as_stream.has_value());
  ExpectSameAnswer(*as_stream, ExpectedThrough(wire::Format::kOpenAI, original), "json→stream");
}

}  // namespace
}  // namespace switchyard::cache

// StreamGuard: output guardrails on a stream of canonical events — a match split across deltas is
// redacted whole, text goes out while the window holds back its tail, an early deny leaves the
// client untouched, hold and after run on the whole answer.
#include "guardrails/stream_guard.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "guardrails_test_util.h"

namespace switchyard::guardrails {
namespace {

using canonical::StreamEvent;
using config::GuardrailAction;
using config::GuardrailStage;
using Kind = StreamEvent::Kind;
using testing_util::BuildAll;
using testing_util::Guard;

StreamEvent Event(Kind kind, std::string text = {}, int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  if (kind == Kind::kFinish) event.finish_reason = canonical::FinishReason::kStop;
  if (kind == Kind::kToolCallStart) {
    event.tool_call.id = "call_1";
    event.tool_call.name = "send";
  }
  return event;
}

// Feeds `deltas` as text deltas between a start and a finish; returns every event passed on, and
// how many text deltas had gone out before the last delta came in.
struct Streamed {
  std::vector<StreamEvent> out;
  std::size_t text_before_end = 0;
};

Streamed Stream(StreamGuard& guard, const std::vector<std::string>& deltas) {
  Streamed run;
  guard.Observe(Event(Kind::kStart), run.out);
  for (const std::string& delta : deltas) guard.Observe(Event(Kind::kTextDelta, delta), run.out);
  for (const StreamEvent& event : run.out) run.text_before_end += event.kind == Kind::kTextDelta;
  guard.Observe(Event(Kind::kFinish), run.out);
  guard.Observe(Event(Kind::kEnd), run.out);
  guard.End(run.out);
  return run;
}

std::string TextOf(const std::vector<StreamEvent>& events, Kind kind = Kind::kTextDelta) {
  std::string text;
  for (const StreamEvent& event : events) {
    if (event.kind == kind) text += event.text;
  }
  return text;
}

config::GuardrailConfig Pii(GuardrailAction action, int window = 16) {
  config::GuardrailConfig pii = Guard("pii-out", GuardrailStage::kOutput, "pii", action);
  pii.window_chars = window;
  return pii;
}

TEST(StreamGuardTest, RedactsAMatchSplitAcrossDeltas) {
  auto built = BuildAll({Pii(GuardrailAction::kRedact)});
  StreamGuard guard(built.call.output, 1 << 20);
  Streamed run = Stream(guard, {"Write to jane.d", "oe@exam", "ple.com today ", "please."});
  const std::string text = TextOf(run.out);
  EXPECT_EQ(text, "Write to [REDACTED:EMAIL] today please.");
  EXPECT_FALSE(guard.stopped());
  ASSERT_EQ(guard.outcome().fired.size(), 1u);
  EXPECT_EQ(guard.outcome().fired[0].name, "pii-out");
  EXPECT_EQ(run.out.front().kind, Kind::kStart);  // the opening still comes first
  EXPECT_EQ(run.out.back().kind, Kind::kEnd);
}

TEST(StreamGuardTest, TextGoesOutWhileTheWindowHoldsItsTail) {
  auto built = BuildAll({Pii(GuardrailAction::kRedact, 32)});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<std::string> deltas;
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    const std::string word = i == 150 ? "call +1 415-555-0132 " : "word" + std::to_string(i) + " ";
    // Three-byte deltas, so every match is split.
    for (std::size_t at = 0; at < word.size(); at += 3) deltas.push_back(word.substr(at, 3));
    expected += i == 150 ? "call [REDACTED:PHONE] " : word;
  }
  Streamed run = Stream(guard, deltas);
  EXPECT_EQ(TextOf(run.out), expected);
  EXPECT_GT(run.text_before_end, 10u) << "text must stream out, not wait for the end";
}

TEST(StreamGuardTest, AWordCutAtTheWindowIsJudgedWhole) {
  config::GuardrailConfig words =
      Guard("words", GuardrailStage::kOutput, "words", GuardrailAction::kRedact);
  words.words = {"ass"};
  words.window_chars = 16;
  auto built = BuildAll({words});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<std::string> deltas;
  std::string text;
  for (int i = 0; i < 40; ++i) text += "a class act ";
  for (char c : text) deltas.push_back(std::string(1, c));
  Streamed run = Stream(guard, deltas);
  EXPECT_EQ(TextOf(run.out), text) << "'ass' inside 'class' is no word of its own";
  EXPECT_TRUE(guard.outcome().fired.empty());
}

TEST(StreamGuardTest, AnEarlyDenyPassesNothingOn) {
  auto built = BuildAll({Pii(GuardrailAction::kDeny)});
  StreamGuard guard(built.call.output, 1 << 20);
  Streamed run = Stream(guard, {"mail jane@", "example.com", " now"});
  EXPECT_TRUE(guard.stopped());
  EXPECT_FALSE(guard.started());
  EXPECT_TRUE(run.out.empty()) << "not even the opening: the client can still get a clean 502";
  EXPECT_EQ(guard.outcome().reason, "email found");
}

TEST(StreamGuardTest, ALateDenyStopsWhatFollows) {
  auto built = BuildAll({Pii(GuardrailAction::kDeny)});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<std::string> deltas(40, "some words ");
  deltas.push_back("jane@example.com ");
  deltas.push_back("more text after");
  Streamed run = Stream(guard, deltas);
  EXPECT_TRUE(guard.stopped());
  EXPECT_TRUE(guard.started());
  EXPECT_EQ(TextOf(run.out).find('@'), std::string::npos);
  EXPECT_NE(run.out.back().kind, Kind::kEnd);
}

TEST(StreamGuardTest, FlagPassesTextUnchanged) {
  auto built = BuildAll({Pii(GuardrailAction::kFlag)});
  StreamGuard guard(built.call.output, 1 << 20);
  Streamed run = Stream(guard, {"mail jane@", "example.com now"});
  EXPECT_EQ(TextOf(run.out), "mail jane@example.com now");
  ASSERT_EQ(guard.outcome().fired.size(), 1u);
  EXPECT_EQ(guard.outcome().fired[0].action, GuardrailAction::kFlag);
}

TEST(StreamGuardTest, ToolArgumentsStayValidJson) {
  auto built = BuildAll({Pii(GuardrailAction::kRedact)});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<StreamEvent> out;
  guard.Observe(Event(Kind::kStart), out);
  guard.Observe(Event(Kind::kToolCallStart), out);
  for (std::string piece : {"{\"to\":\"jane", "@example.com\",", "\"body\":\"hi\"}"}) {
    guard.Observe(Event(Kind::kToolCallDelta, piece), out);
  }
  guard.Observe(Event(Kind::kFinish), out);
  guard.End(out);
  const std::string arguments = TextOf(out, Kind::kToolCallDelta);
  EXPECT_EQ(arguments, R"({"to":"[REDACTED:EMAIL]","body":"hi"})");
  boost::system::error_code error;
  boost::json::parse(arguments, error);
  EXPECT_FALSE(error);
}

TEST(StreamGuardTest, LongToolArgumentsStayValidJsonAcrossManyWindows) {
  auto built = BuildAll({Pii(GuardrailAction::kRedact, 64)});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<StreamEvent> out;
  guard.Observe(Event(Kind::kStart), out);
  guard.Observe(Event(Kind::kToolCallStart), out);
  std::string arguments = "{\"notes\":[";
  std::string expected = arguments;
  for (int i = 0; i < 200; ++i) {
    const std::string quoted = i == 150 ? "\"mail jane@example.com\"," : "\"item \\\"" +
                                                                         std::to_string(i) + "\","; 
    arguments += quoted;
    expected += i == 150 ? "\"mail [REDACTED:EMAIL]\"," : quoted;
  }
  arguments += "\"end\"]}";
  expected += "\"end\"]}";
  for (std::size_t at = 0; at < arguments.size(); at += 5) {
    guard.Observe(Event(Kind::kToolCallDelta, arguments.substr(at, 5)), out);
  }
  std::size_t before_end = 0;
  for (const StreamEvent& event : out) before_end += event.kind == Kind::kToolCallDelta;
  guard.Observe(Event(Kind::kFinish), out);
  guard.End(out);
  EXPECT_EQ(TextOf(out, Kind::kToolCallDelta), expected);
  EXPECT_GT(before_end, 10u) << "the arguments stream out, only the window held";
  boost::system::error_code error;
  boost::json::parse(TextOf(out, Kind::kToolCallDelta), error);
  EXPECT_FALSE(error);
}

TEST(StreamGuardTest, HoldChecksTheWholeAnswerBeforeAnyByte) {
  config::GuardrailConfig schema =
      Guard("schema", GuardrailStage::kOutput, "json_schema", GuardrailAction::kDeny);
  schema.schema_json = R"({"type":"object","required":["answer"]})";
  auto built = BuildAll({schema});
  {
    StreamGuard guard(built.call.output, 1 << 20);
    std::vector<StreamEvent> out;
    guard.Observe(Event(Kind::kStart), out);
    guard.Observe(Event(Kind::kTextDelta, "{\"answer\":"), out);
    guard.Observe(Event(Kind::kTextDelta, "42}"), out);
    guard.Observe(Event(Kind::kFinish), out);
    EXPECT_TRUE(out.empty()) << "held until the end";
    guard.End(out);
    EXPECT_FALSE(guard.stopped());
    EXPECT_EQ(TextOf(out), "{\"answer\":42}");
    EXPECT_EQ(out.front().kind, Kind::kStart);
  }
  StreamGuard guard(built.call.output, 1 << 20);
  Streamed run = Stream(guard, {"{\"other\":", "1}"});
  EXPECT_TRUE(guard.stopped());
  EXPECT_TRUE(run.out.empty());
}

TEST(StreamGuardTest, HoldRefusesAnAnswerPastItsBound) {
  config::GuardrailConfig json =
      Guard("json", GuardrailStage::kOutput, "json", GuardrailAction::kDeny);
  auto built = BuildAll({json});
  StreamGuard guard(built.call.output, 64);
  Streamed run = Stream(guard, {std::string(100, 'x')});
  EXPECT_TRUE(guard.stopped());
  EXPECT_EQ(guard.outcome().reason, "the answer is too large to hold for its checks");
}

TEST(StreamGuardTest, AfterFlagsOnceTheStreamEnded) {
  config::GuardrailConfig length =
      Guard("long", GuardrailStage::kOutput, "length", GuardrailAction::kFlag);
  length.max_chars = 5;
  length.stream = config::GuardrailStream::kAfter;
  auto built = BuildAll({length});
  StreamGuard guard(built.call.output, 1 << 20);
  std::vector<StreamEvent> out;
  guard.Observe(Event(Kind::kStart), out);
  guard.Observe(Event(Kind::kTextDelta, "far too long"), out);
  EXPECT_EQ(TextOf(out), "far too long") << "after holds nothing back";
  EXPECT_TRUE(guard.outcome().fired.empty());
  guard.Observe(Event(Kind::kFinish), out);
  guard.End(out);
  ASSERT_EQ(guard.outcome().fired.size(), 1u);
  EXPECT_EQ(guard.outcome().fired[0].name, "long");
}

}  // namespace
}  // namespace switchyard::guardrails

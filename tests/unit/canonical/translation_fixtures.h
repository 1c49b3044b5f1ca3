// Helpers for the translation layer's golden-file tests: fixture files under tests/fixtures/
// (found from the working directory or the SWITCHYARD_FIXTURES environment variable), JSON
// comparison that treats 1 and 1.0 alike, SSE feeding (whole or byte by byte) into stream
// decoders, a one-line-per-event text form of canonical stream events (the .events.txt files),
// and SSE output parsing for checks on what an encoder wrote.
//
// With SWITCHYARD_UPDATE_GOLDEN=1, ExpectGolden rewrites the expected file instead of comparing
// (review the diff before committing it).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/chat.h"
#include "providers/provider_adapter.h"
#include "sse/sse_parser.h"

namespace switchyard::testing_fixtures {

namespace fs = std::filesystem;

inline fs::path FixturesRoot() {
  if (const char* env = std::getenv("SWITCHYARD_FIXTURES")) return env;
  for (fs::path dir = fs::current_path(); !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_directory(dir / "tests" / "fixtures")) return dir / "tests" / "fixtures";
    if (dir == dir.parent_path()) break;
  }
  const fs::path from_source = fs::path(__FILE__).parent_path() / ".." / ".." / "fixtures";
  return from_source;
}

inline bool FixtureExists(const std::string& relative) {
  return fs::exists(FixturesRoot() / relative);
}

inline std::string ReadFixture(const std::string& relative) {
  std::ifstream in(FixturesRoot() / relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The case names in a fixture folder that have a file with `suffix` (e.g. ".request.json").
inline std::vector<std::string> FixtureCases(const std::string& folder, std::string_view suffix) {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(FixturesRoot() / folder)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      cases.push_back(name.substr(0, name.size() - suffix.size()));
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

inline bool UpdateGolden() {
  const char* env = std::getenv("SWITCHYARD_UPDATE_GOLDEN");
  return env != nullptr && std::string_view(env) == "1";
}

inline boost::json::value ParseJson(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return value;
}

// Structural equality; numbers compare by value whatever their JSON type.
inline bool JsonEqual(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      const boost::json::value* other = y.if_contains(key);
      if (other == nullptr || !JsonEqual(value, *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!JsonEqual(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

inline std::string Pretty(const boost::json::value& value, int indent = 0);

inline std::string PrettyString(const boost::json::value& value) { return Pretty(value) + "\n"; }

inline std::string Pretty(const boost::json::value& value, int indent) {
  const std::string pad(indent + 2, ' ');
  const std::string end_pad(indent, ' ');
  if (value.is_object() && !value.get_object().empty()) {
    std::string out = "{\n";
    bool first = true;
    for (const auto& [key, member] : value.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + boost::json::serialize(boost::json::value(key)) + ": " + Pretty(member, indent + 2);
    }
    return out + "\n" + end_pad + "}";
  }
  if (value.is_array() && !value.get_array().empty()) {
    std::string out = "[\n";
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + Pretty(item, indent + 2);
    }
    return out + "\n" + end_pad + "]";
  }
  return boost::json::serialize(value);
}

inline void WriteFixture(const std::string& relative, std::string_view text) {
  std::ofstream out(FixturesRoot() / relative, std::ios::binary);
  out << text;
}

// Compares `actual` JSON text with the fixture (structurally), or rewrites it in update mode.
inline void ExpectGoldenJson(const std::string& relative, std::string_view actual) {
  const boost::json::value got = ParseJson(actual);
  if (UpdateGolden()) {
    WriteFixture(relative, PrettyString(got));
    return;
  }
  const boost::json::value want = ParseJson(ReadFixture(relative));
  EXPECT_TRUE(JsonEqual(got, want)) << relative << "\n--- got:\n"
                                    << PrettyString(got) << "--- want:\n"
                                    << PrettyString(want);
}

// Compares text exactly, or rewrites the fixture in update mode.
inline void ExpectGoldenText(const std::string& relative, std::string_view actual) {
  if (UpdateGolden()) {
    WriteFixture(relative, actual);
    return;
  }
  EXPECT_EQ(actual, ReadFixture(relative)) << relative;
}

inline std::string_view FinishName(canonical::FinishReason reason) {
  switch (reason) {
    case canonical::FinishReason::kStop: return "stop";
    case canonical::FinishReason::kLength: return "length";
    case canonical::FinishReason::kToolCalls: return "tool_calls";
    case canonical::FinishReason::kContentFilter: return "content_filter";
    case canonical::FinishReason::kError: return "error";
    case canonical::FinishReason::kUnknown: break;
  }
  return "unknown";
}

inline std::string UsageText(const canonical::Usage& u) {
  return fmt::format("in={} cached={} w5m={} w1h={} out={} reasoning={}", u.input_tokens,
                     u.cached_input_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
                     u.output_tokens, u.reasoning_tokens);
}

inline std::string Quote(std::string_view text) {
  return boost::json::serialize(boost::json::value(text));
}

// One line per event, e.g. `tool_start 0 id="toolu_01" name="get_weather" args=""`.
inline std::string EventsText(const std::vector<canonical::StreamEvent>& events) {
  using Kind = canonical::StreamEvent::Kind;
  std::string out;
  for (const canonical::StreamEvent& e : events) {
    switch (e.kind) {
      case Kind::kStart:
        out += fmt::format("start id={} model={}{}", Quote(e.response_id), Quote(e.model),
                           e.usage.reported ? " usage " + UsageText(e.usage) : "");
        break;
      case Kind::kTextDelta: out += "text " + Quote(e.text); break;
      case Kind::kThinkingDelta: out += "thinking " + Quote(e.text); break;
      case Kind::kThinkingSignature: out += "signature " + Quote(e.text); break;
      case Kind::kRedactedThinking: out += "redacted " + Quote(e.text); break;
      case Kind::kToolCallStart:
        out += fmt::format("tool_start {} id={} name={} args={}", e.index, Quote(e.tool_call.id),
                           Quote(e.tool_call.name), Quote(e.tool_call.arguments_json));
        break;
      case Kind::kToolCallDelta: out += fmt::format("tool_delta {} {}", e.index, Quote(e.text)); break;
      case Kind::kFinish:
        out += fmt::format("finish {}{}", FinishName(e.finish_reason),
                           e.text.empty() ? "" : " stop_sequence=" + Quote(e.text));
        break;
      case Kind::kUsage: out += "usage " + UsageText(e.usage); break;
      case Kind::kError: out += fmt::format("error type={} {}", Quote(e.error_type), Quote(e.text)); break;
      case Kind::kEnd: out += "end"; break;
    }
    out += "\n";
  }
  return out;
}

// Feeds `stream` through an SseParser into `decoder`, whole or one byte at a time.
inline std::vector<canonical::StreamEvent> DecodeSse(providers::StreamDecoder& decoder,
                                                     std::string_view stream, bool byte_by_byte) {
  std::vector<canonical::StreamEvent> events;
  sse::SseParser parser;
  auto on_event = [&](const sse::Event& event) {
    if (!event.is_comment) decoder.Decode(event.event, event.data, events);
  };
  if (byte_by_byte) {
    for (std::size_t i = 0; i < stream.size(); ++i) {
      EXPECT_TRUE(parser.Feed(stream.substr(i, 1), on_event).ok());
    }
  } else {
    EXPECT_TRUE(parser.Feed(stream, on_event).ok());
  }
  parser.Finish(on_event);
  return events;
}

// One SSE event as a client would see it.
struct ClientEvent {
  std::string event;
  std::string data;
};

inline std::vector<ClientEvent> ParseClientSse(std::string_view stream) {
  std::vector<ClientEvent> out;
  sse::SseParser parser;
  auto on_event = [&](const sse::Event& event) {
    if (!event.is_comment) out.push_back({std::string(event.event), std::string(event.data)});
  };
  EXPECT_TRUE(parser.Feed(stream, on_event).ok());
  parser.Finish(on_event);
  return out;
}

}  // namespace switchyard::testing_fixtures

// CacheEntry bytes: every field survives Encode → Decode, large answers are deflated, and bytes a
// shared store hands back are hostile — wrong header, truncation, zip bombs, flipped bytes, bad
// JSON, wrong types — and come back as an error, never a crash.
#include "cache/cache_entry.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace switchyard::cache {
namespace {

using canonical::ContentPart;
using PartKind = canonical::ContentPart::Kind;

constexpr std::size_t kMax = 1 << 20;

ContentPart Part(PartKind kind, std::string text, std::string data = {}) {
  ContentPart part;
  part.kind = kind;
  part.text = std::move(text);
  part.data = std::move(data);
  return part;
}

// Words in the proportions of a chat answer: prose, some Markdown, a code block.
std::string AnswerText(std::size_t bytes, unsigned seed) {
  static const char* const kWords[] = {
      "the", "a", "to", "of", "and", "in", "is", "that", "for", "it", "you", "with", "on", "this",
      "request", "response", "gateway", "cache", "stream", "token", "model", "provider", "call",
      "function", "returns", "value", "error", "when", "each", "which", "configuration", "file",
      "should", "because", "example", "second", "first", "budget", "latency", "answer", "client",
      "retry", "timeout", "header", "body", "JSON", "field", "string", "number", "array", "object",
      "however,", "therefore", "note:", "instead", "usually", "simply", "often", "whole", "small"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> word(0, std::size(kWords) - 1);
  std::string out;
  int in_sentence = 0;
  while (out.size() < bytes) {
    const std::size_t pick = rng() % 100;
    if (pick < 2) {
      out += "\n\n## Step " + std::to_string(rng() % 9 + 1) + "\n\n";
    } else if (pick < 3) {
      out += "\n```cpp\nauto result = cache.Get(key);\nif (!result) return result.error();\n```\n";
    } else {
      out += kWords[word(rng)];
      out += ++in_sentence % 12 == 0 ? ". " : " ";
    }
  }
  out.resize(bytes);
  return out;
}

CacheEntry FullEntry(std::string text) {
  CacheEntry entry;
  canonical::ChatResponse& response = entry.response;
  response.id = "msg_01";
  response.model = "claude-x-2";
  response.created = 1700000000;
  response.message.role = canonical::Role::kAssistant;
  ContentPart image = Part(PartKind::kImageBase64, "", "iVBORw0KGgo=");
  image.media_type = "image/png";
  image.detail = "high";
  image.filename = "a.png";
  image.cache_control = boost::json::object{{"type", "ephemeral"}};
  image.path = "messages[0].content[1]";
  ContentPart url = Part(PartKind::kImageUrl, "");
  url.url = "https://example.com/a.png";
  response.message.content = {Part(PartKind::kThinking, "Think.", "sig=="),
                              Part(PartKind::kRedactedThinking, "", "opaque"),
                              Part(PartKind::kText, std::move(text)), image, url,
                              Part(PartKind::kDocumentBase64, "", "JVBERi0=")};
  response.message.tool_calls = {{"call_1", "weather", R"({"city":"Paris"})"},
                                 {"call_2", "weather", R"({"city":"Rome"})"}};
  response.message.tool_call_id = "t1";
  response.message.is_error = true;
  response.message.name = "bot";
  response.message.path = "messages[3]";
  response.finish_reason = canonical::FinishReason::kToolCalls;
  response.stop_sequence = "END";
  response.usage = {10, 100, 4, 2, 20, 5, true, "a negative token count"};
  entry.provider = "anthropic-main";
  entry.model = "claude-x-2-20250101";
  entry.cost_nanos = 123456789;
  entry.request_id = "req_abc";
  entry.stored_ms = 1700000000123;
  entry.from_stream = true;
  return entry;
}

void ExpectSamePart(const ContentPart& got, const ContentPart& want) {
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.text, want.text);
  EXPECT_EQ(got.url, want.url);
  EXPECT_EQ(got.media_type, want.media_type);
  EXPECT_EQ(got.data, want.data);
  EXPECT_EQ(got.detail, want.detail);
  EXPECT_EQ(got.filename, want.filename);
  EXPECT_EQ(got.cache_control, want.cache_control);
  EXPECT_EQ(got.path, want.path);
}

// Every field, except that a set `implausible` comes back as kStoredImplausible.
void ExpectSameEntry(const CacheEntry& got, const CacheEntry& want) {
  const canonical::ChatResponse& g = got.response;
  const canonical::ChatResponse& w = want.response;
  EXPECT_EQ(g.id, w.id);
  EXPECT_EQ(g.model, w.model);
  EXPECT_EQ(g.created, w.created);
  EXPECT_EQ(g.message.role, w.message.role);
  ASSERT_EQ(g.message.content.size(), w.message.content.size());
  for (std::size_t i = 0; i < g.message.content.size(); ++i) {
    ExpectSamePart(g.message.content[i], w.message.content[i]);
  }
  ASSERT_EQ(g.message.tool_calls.size(), w.message.tool_calls.size());
  for (std::size_t i = 0; i < g.message.tool_calls.size(); ++i) {
    EXPECT_EQ(g.message.tool_calls[i].id, w.message.tool_calls[i].id);
    EXPECT_EQ(g.message.tool_calls[i].name, w.message.tool_calls[i].name);
    EXPECT_EQ(g.message.tool_calls[i].arguments_json, w.message.tool_calls[i].arguments_json);
  }
  EXPECT_EQ(g.message.tool_call_id, w.message.tool_call_id);
  EXPECT_EQ(g.message.is_error, w.message.is_error);
  EXPECT_EQ(g.message.name, w.message.name);
  EXPECT_EQ(g.message.path, w.message.path);
  EXPECT_EQ(g.finish_reason, w.finish_reason);
  EXPECT_EQ(g.stop_sequence, w.stop_sequence);
  EXPECT_EQ(g.usage.input_tokens, w.usage.input_tokens);
  EXPECT_EQ(g.usage.cached_input_tokens, w.usage.cached_input_tokens);
  EXPECT_EQ(g.usage.cache_write_tokens, w.usage.cache_write_tokens);
  EXPECT_EQ(g.usage.cache_write_1h_tokens, w.usage.cache_write_1h_tokens);
  EXPECT_EQ(g.usage.output_tokens, w.usage.output_tokens);
  EXPECT_EQ(g.usage.reasoning_tokens, w.usage.reasoning_tokens);
  EXPECT_EQ(g.usage.reported, w.usage.reported);
  if (w.usage.implausible == nullptr) {
    EXPECT_EQ(g.usage.implausible, nullptr);
  } else {
    EXPECT_EQ(g.usage.implausible, kStoredImplausible);
  }
  EXPECT_EQ(got.provider, want.provider);
  EXPECT_EQ(got.model, want.model);
  EXPECT_EQ(got.cost_nanos, want.cost_nanos);
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.stored_ms, want.stored_ms);
  EXPECT_EQ(got.from_stream, want.from_stream);
}

std::string Plain(std::string_view json) {
  std::string bytes(kEntryMagic);
  bytes.push_back(static_cast<char>(kEntryVersion));
  bytes.push_back('\0');
  return bytes.append(json);
}

// A deflated entry whose header says `length`, around the zlib stream of `json`.
std::string Deflated(std::string_view json, std::uint32_t length) {
  std::string bytes(kEntryMagic);
  bytes.push_back(static_cast<char>(kEntryVersion));
  bytes.push_back(static_cast<char>(kEntryDeflated));
  for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>(length >> shift));
  uLongf size = compressBound(json.size());
  std::string z(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(z.data()), &size,
                      reinterpret_cast<const Bytef*>(json.data()), json.size(), 9),
            Z_OK);
  z.resize(size);
  return bytes + z;
}

// The JSON an entry's bytes hold (inflated when they are deflated).
std::string JsonOf(const CacheEntry& entry) {
  const std::string bytes = EncodeEntry(entry);
  if (bytes[5] == '\0') return bytes.substr(kEntryHeaderBytes);
  std::uint32_t length = 0;
  for (int i = 3; i >= 0; --i) length = length << 8 | static_cast<unsigned char>(bytes[6 + i]);
  std::string json(length, '\0');
  uLongf size = length;
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(json.data()), &size,
                       reinterpret_cast<const Bytef*>(bytes.data() + 10), bytes.size() - 10),
            Z_OK);
  return json;
}

TEST(CacheEntryTest, ASmallEntryIsStoredPlainAndComesBackWhole) {
  CacheEntry entry;
  entry.response.id = "chatcmpl-1";
  entry.response.message.role = canonical::Role::kAssistant;
  entry.response.message.content = {Part(PartKind::kText, "Hi.")};
  entry.response.finish_reason = canonical::FinishReason::kStop;
  entry.provider = "openai";
  entry.cost_nanos = 5;
  const std::string bytes = EncodeEntry(entry);
  ASSERT_LE(bytes.size() - kEntryHeaderBytes, kEntryDeflateAbove);
  EXPECT_EQ(bytes.substr(0, 4), "SWYC");
  EXPECT_EQ(bytes[4], static_cast<char>(kEntryVersion));
  EXPECT_EQ(bytes[5], '\0');
  EXPECT_EQ(bytes[kEntryHeaderBytes], '{');
  Result<CacheEntry> back = DecodeEntry(bytes, kMax);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ExpectSameEntry(*back, entry);
}

TEST(CacheEntryTest, ALargeEntryIsDeflatedAndComesBackWhole) {
  const CacheEntry entry = FullEntry(AnswerText(50000, 1));
  const std::string bytes = EncodeEntry(entry);
  EXPECT_EQ(bytes[5], static_cast<char>(kEntryDeflated));
  EXPECT_LT(bytes.size(), 50000u / 2);
  Result<CacheEntry> back = DecodeEntry(bytes, kMax);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ExpectSameEntry(*back, entry);
  EXPECT_EQ(EncodeEntry(*back), bytes);  // and encodes to the same bytes again
}

TEST(CacheEntryTest, UnknownStaysUnknownAndDefaultsComeBackAsDefaults) {
  CacheEntry entry;
  Result<CacheEntry> back = DecodeEntry(EncodeEntry(entry), kMax);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_FALSE(back->cost_nanos.has_value());
  EXPECT_FALSE(back->response.usage.reported);
  EXPECT_EQ(back->response.usage.implausible, nullptr);
  EXPECT_EQ(back->response.finish_reason, canonical::FinishReason::kUnknown);
  EXPECT_TRUE(back->response.message.content.empty());
  entry.cost_nanos = 0;  // known to be free is not unknown
  Result<CacheEntry> free = DecodeEntry(EncodeEntry(entry), kMax);
  ASSERT_TRUE(free.ok());
  EXPECT_EQ(free->cost_nanos, std::optional<std::int64_t>(0));
}

TEST(CacheEntryTest, EveryFinishReasonAndRoleSurvives) {
  using canonical::FinishReason;
  for (FinishReason reason : {FinishReason::kStop, FinishReason::kLength, FinishReason::kToolCalls,
                              FinishReason::kContentFilter, FinishReason::kError,
                              FinishReason::kUnknown}) {
    CacheEntry entry;
    entry.response.finish_reason = reason;
    Result<CacheEntry> back = DecodeEntry(EncodeEntry(entry), kMax);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->response.finish_reason, reason);
  }
  for (canonical::Role role : {canonical::Role::kSystem, canonical::Role::kUser,
                               canonical::Role::kAssistant, canonical::Role::kTool}) {
    CacheEntry entry;
    entry.response.message.role = role;
    Result<CacheEntry> back = DecodeEntry(EncodeEntry(entry), kMax);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->response.message.role, role);
  }
}

TEST(CacheEntryTest, TheWrongHeaderIsAnError) {
  const std::string good = EncodeEntry(FullEntry("x"));
  std::string magic = good;
  magic[0] = 'X';
  std::string version = good;
  version[4] = static_cast<char>(kEntryVersion + 1);
  std::string flags = good;
  flags[5] = static_cast<char>(0x02);
  for (const std::string& bad : {magic, version, flags, std::string(), std::string("SWY")}) {
    Result<CacheEntry> decoded = DecodeEntry(bad, kMax);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().kind, ErrorKind::kInternal);
  }
}

TEST(CacheEntryTest, EveryTruncationIsAnError) {
  for (const std::string& good :
       {EncodeEntry(FullEntry("short")), EncodeEntry(FullEntry(AnswerText(4000, 2)))}) {
    ASSERT_TRUE(DecodeEntry(good, kMax).ok());
    for (std::size_t size = 0; size < good.size(); ++size) {
      EXPECT_FALSE(DecodeEntry(std::string_view(good).substr(0, size), kMax).ok()) << size;
    }
  }
}

TEST(CacheEntryTest, BytesAfterTheZlibStreamAreAnError) {
  const std::string good = EncodeEntry(FullEntry(AnswerText(4000, 3)));
  ASSERT_EQ(good[5], static_cast<char>(kEntryDeflated));
  EXPECT_FALSE(DecodeEntry(good + "x", kMax).ok());
  EXPECT_FALSE(DecodeEntry(Plain(JsonOf(FullEntry("x"))) + "x", kMax).ok());  // JSON + garbage
}

TEST(CacheEntryTest, AZipBombIsRefusedWithinTheBound) {
  const std::string zeros(std::size_t{64} << 20, ' ');  // 64 MiB of spaces: ~64 KiB deflated
  // It says so: refused before inflating.
  EXPECT_FALSE(DecodeEntry(Deflated(zeros, static_cast<std::uint32_t>(zeros.size())), kMax).ok());
  // It lies about its length: inflating stops at the length it gave.
  EXPECT_FALSE(DecodeEntry(Deflated(zeros, 1000), kMax).ok());
  // A stream shorter than it says.
  const std::string json = JsonOf(FullEntry("x"));
  EXPECT_FALSE(DecodeEntry(Deflated(json, static_cast<std::uint32_t>(json.size() + 1)), kMax).ok());
  EXPECT_TRUE(DecodeEntry(Deflated(json, static_cast<std::uint32_t>(json.size())), kMax).ok());
  // And the bound holds for plain JSON too.
  EXPECT_FALSE(DecodeEntry(Plain(json), json.size() - 1).ok());
  EXPECT_TRUE(DecodeEntry(Plain(json), json.size()).ok());
}

TEST(CacheEntryTest, RandomByteFlipsNeverCrash) {
  std::mt19937 rng(20240515);
  int errors = 0;
  int decoded = 0;
  for (const std::string& good :
       {EncodeEntry(FullEntry("short")), EncodeEntry(FullEntry(AnswerText(3000, 4)))}) {
    for (int trial = 0; trial < 3000; ++trial) {
      std::string bytes = good;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < flips; ++i) {
        bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
      }
      Result<CacheEntry> result = DecodeEntry(bytes, kMax);
      (result.ok() ? decoded : errors) += 1;
    }
  }
  EXPECT_GT(errors, 0);
  EXPECT_EQ(errors + decoded, 6000);
}

TEST(CacheEntryTest, InvalidJsonAndWrongShapesAreErrors) {
  const std::string json = JsonOf(FullEntry("x"));
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string out = json;
    const std::size_t at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? out : out.replace(at, from.size(), to);
  };
  const std::vector<std::string> bad = {
      "", "{", "[]", "null", "\"text\"", "{}", "{\"response\":[]}",
      "{\"response\":{\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\"}}}",
      "\xff\xfe",
      replaced(R"("provider":"anthropic-main")", R"("provider":7)"),
      replaced(R"("cost_nanos":123456789)", R"("cost_nanos":"123")"),
      replaced(R"("cost_nanos":123456789)", R"("cost_nanos":-1)"),
      replaced(R"("stored_ms":1700000000123)", R"("stored_ms":1.5)"),
      replaced(R"("from_stream":true)", R"("from_stream":1)"),
      replaced(R"("created":1700000000)", R"("created":{})"),
      replaced(R"("finish_reason":"tool_calls")", R"("finish_reason":"later")"),
      replaced(R"("finish_reason":"tool_calls")", R"("finish_reason":3)"),
      replaced(R"("role":"assistant")", R"("role":"robot")"),
      replaced(R"("kind":"thinking")", R"("kind":"video")"),
      replaced(R"("kind":"thinking")", R"("kin":"thinking")"),
      replaced(R"("content":[)", R"("content":[1,)"),
      replaced(R"("tool_calls":[)", R"("tool_calls":["call",)"),
      replaced(R"("arguments":"{\"city\":\"Paris\"}")", R"("arguments":{"city":"Paris"})"),
      replaced(R"("input_tokens":10)", R"("input_tokens":-10)"),
      replaced(R"("output_tokens":20)", R"("output_tokens":4294967296)"),
      replaced(R"("reasoning_tokens":5)", R"("reasoning_tokens":18446744073709551615)"),
      replaced(R"("reported":true)", R"("reported":"yes")"),
      replaced(R"("implausible":true)", R"("implausible":"a negative token count")"),
      replaced(R"("usage":{)", R"("usage":7,"x":{)"),
      replaced(R"("message":{)", R"("message":[],"x":{)"),
      std::string(100, '[') + std::string(100, ']'),
  };
  for (const std::string& text : bad) {
    Result<CacheEntry> decoded = DecodeEntry(Plain(text), kMax);
    EXPECT_FALSE(decoded.ok()) << text;
  }
  Result<CacheEntry> error = DecodeEntry(Plain(bad[bad.size() - 5]), kMax);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.error().message.find("response.usage.reported"), std::string::npos)
      << error.error().message;
}

TEST(CacheEntryTest, UnknownMembersAreIgnored) {
  std::string json = JsonOf(FullEntry("x"));
  json.insert(1, R"("added_later":{"a":[1,2]},)");
  EXPECT_TRUE(DecodeEntry(Plain(json), kMax).ok());
}

// Not an assertion: the sizes and times the lead asked for, printed for the record.
TEST(CacheEntryTest, PrintsSizesAndTimes) {
  for (std::size_t text_bytes : {std::size_t{2000}, std::size_t{50000}}) {
    CacheEntry entry;
    entry.response.id = "chatcmpl-abc123";
    entry.response.model = "gpt-x";
    entry.response.message.role = canonical::Role::kAssistant;
    entry.response.message.content = {Part(PartKind::kText, AnswerText(text_bytes, 7))};
    entry.response.finish_reason = canonical::FinishReason::kStop;
    entry.response.usage = {120, 0, 0, 0, 480, 0, true, nullptr};
    entry.provider = "openai";
    entry.model = "gpt-x";
    entry.cost_nanos = 1234000;
    entry.request_id = "req_1";
    entry.stored_ms = 1700000000000;
    const int rounds = text_bytes < 10000 ? 2000 : 200;
    std::string bytes;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) bytes = EncodeEntry(entry);
    const auto t1 = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) ASSERT_TRUE(DecodeEntry(bytes, kMax).ok());
    const auto t2 = std::chrono::steady_clock::now();
    const bool deflated = bytes[5] == static_cast<char>(kEntryDeflated);
    std::size_t json_bytes = bytes.size() - kEntryHeaderBytes;
    if (deflated) {
      json_bytes = 0;
      for (int i = 3; i >= 0; --i) {
        json_bytes = json_bytes << 8 | static_cast<unsigned char>(bytes[6 + i]);
      }
    }
    const double us_per_round = 1e6 / rounds;
    std::printf("[ figures  ] text %zu B: JSON %zu B -> entry %zu B (%.2fx, %s); encode %.1f us, "
                "decode %.1f us\n",
                text_bytes, json_bytes, bytes.size(),
                static_cast<double>(json_bytes) / static_cast<double>(bytes.size()),
                deflated ? "deflated" : "plain",
                std::chrono::duration<double>(t1 - t0).count() * us_per_round,
                std::chrono::duration<double>(t2 - t1).count() * us_per_round);
  }
}

}  // namespace
}  // namespace switchyard::cache

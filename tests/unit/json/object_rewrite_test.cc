#include "json/object_rewrite.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "json/object_scan.h"

namespace switchyard::json {
namespace {

std::string Rewrite(std::string_view text, std::vector<Edit> edits) {
  Result<ObjectScan> scan = ScanObject(text);
  EXPECT_TRUE(scan.ok()) << text;
  if (!scan.ok()) return {};
  std::string out = RewriteObject(text, *scan, edits);
  // Every result is valid JSON by both our scanner and Boost.JSON.
  Result<ObjectScan> rescan = ScanObject(out);
  EXPECT_TRUE(rescan.ok()) << out << ": " << (rescan.ok() ? "" : rescan.error().message);
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(out, ec);
  EXPECT_FALSE(ec) << out;
  EXPECT_TRUE(parsed.is_object()) << out;
  return out;
}

Edit Set(std::string key, std::string raw) { return Edit{std::move(key), std::move(raw)}; }
Edit Remove(std::string key) { return Edit{std::move(key), std::nullopt}; }

TEST(RewriteObjectTest, ReplacesValueInPlace) {
  EXPECT_EQ(Rewrite(R"({"model": "alias", "messages":[{"role":"user"}] , "stream":true})",
                    {Set("model", R"("gpt-4o-2024-08-06")")}),
            R"({"model": "gpt-4o-2024-08-06", "messages":[{"role":"user"}] , "stream":true})");
  EXPECT_EQ(Rewrite(R"({"a":1,"stream_options":{"include_usage":false}})",
                    {Set("stream_options", R"({"include_usage":true})")}),
            R"({"a":1,"stream_options":{"include_usage":true}})");
}

TEST(RewriteObjectTest, RemovesFirstMiddleLastAndOnlyMember) {
  const std::string text = R"({"a":1, "b":2, "c":3})";
  EXPECT_EQ(Rewrite(text, {Remove("a")}), R"({"b":2, "c":3})");
  EXPECT_EQ(Rewrite(text, {Remove("b")}), R"({"a":1, "c":3})");
  EXPECT_EQ(Rewrite(text, {Remove("c")}), R"({"a":1, "b":2})");
  EXPECT_EQ(Rewrite(R"({ "only" : [1] })", {Remove("only")}), "{  }");
}

TEST(RewriteObjectTest, RemovesSeveralMembers) {
  const std::string text = R"({"a":1, "b":2, "c":3, "d":4})";
  EXPECT_EQ(Rewrite(text, {Remove("a"), Remove("b")}), R"({"c":3, "d":4})");
  EXPECT_EQ(Rewrite(text, {Remove("b"), Remove("c")}), R"({"a":1, "d":4})");
  EXPECT_EQ(Rewrite(text, {Remove("c"), Remove("d")}), R"({"a":1, "b":2})");
  EXPECT_EQ(Rewrite(text, {Remove("a"), Remove("d")}), R"({"b":2, "c":3})");
  EXPECT_EQ(Rewrite(text, {Remove("a"), Remove("b"), Remove("c"), Remove("d")}), "{}");
}

TEST(RewriteObjectTest, KeepsPrettyPrintedLayout) {
  const std::string text = "{\n  \"model\": \"x\",\n  \"temperature\": 0.2,\n  \"n\": 1\n}\n";
  EXPECT_EQ(Rewrite(text, {Remove("temperature")}), "{\n  \"model\": \"x\",\n  \"n\": 1\n}\n");
  EXPECT_EQ(Rewrite(text, {Remove("n")}), "{\n  \"model\": \"x\",\n  \"temperature\": 0.2\n}\n");
  EXPECT_EQ(Rewrite(text, {Remove("model")}), "{\n  \"temperature\": 0.2,\n  \"n\": 1\n}\n");
}

TEST(RewriteObjectTest, AppendsToEmptyAndNonEmptyObjects) {
  EXPECT_EQ(Rewrite("{}", {Set("stream", "true")}), R"({"stream":true})");
  EXPECT_EQ(Rewrite(" { } ", {Set("stream", "true")}), R"( { "stream":true} )");
  EXPECT_EQ(Rewrite(R"({"a":1})", {Set("b", "[2]"), Set("c", "null")}),
            R"({"a":1,"b":[2],"c":null})");
  EXPECT_EQ(Rewrite("{\n  \"a\": 1\n}", {Set("b", "2")}), "{\n  \"a\": 1,\"b\":2\n}");
  // Appending after removing everything needs no comma.
  EXPECT_EQ(Rewrite(R"({"a":1})", {Remove("a"), Set("b", "2")}), R"({"b":2})");
}

TEST(RewriteObjectTest, AppendedKeysAreEscaped) {
  std::string out = Rewrite("{}", {Set("we\"ird\\\n", "1")});
  EXPECT_EQ(out, R"({"we\"ird\\\n":1})");
  ObjectScan scan = std::move(ScanObject(out)).value();
  EXPECT_EQ(scan.members[0].key, "we\"ird\\\n");
}

TEST(RewriteObjectTest, EditsCombineAndLastEditWins) {
  const std::string text = R"({"model":"a","max_tokens":5,"stream":false})";
  EXPECT_EQ(Rewrite(text, {Set("model", "\"b\""), Remove("max_tokens"), Set("stream", "true"),
                           Set("stream_options", R"({"include_usage":true})")}),
            R"({"model":"b","stream":true,"stream_options":{"include_usage":true}})");
  EXPECT_EQ(Rewrite(text, {Set("model", "\"b\""), Set("model", "\"c\"")}),
            R"({"model":"c","max_tokens":5,"stream":false})");
  EXPECT_EQ(Rewrite(text, {Remove("model"), Set("model", "\"c\"")}),
            R"({"model":"c","max_tokens":5,"stream":false})");
  EXPECT_EQ(Rewrite(text, {Set("x", "1"), Set("y", "2"), Set("x", "3")}),
            R"({"model":"a","max_tokens":5,"stream":false,"y":2,"x":3})");
  EXPECT_EQ(Rewrite(text, {Set("x", "1"), Remove("x")}), text);
  // Removing a key that is not there changes nothing.
  EXPECT_EQ(Rewrite(text, {Remove("nope")}), text);
  EXPECT_EQ(Rewrite(text, {}), text);
}

TEST(RewriteObjectTest, MatchesEscapedKeysByTheirUnescapedForm) {
  EXPECT_EQ(Rewrite(R"({"mod\u0065l":"a","b":1})", {Set("model", "\"z\"")}),
            R"({"mod\u0065l":"z","b":1})");
}

TEST(RewriteObjectTest, PreservesSurroundingDocumentWhitespace) {
  EXPECT_EQ(Rewrite("\n {\"a\":1,\"b\":2} \n", {Remove("a")}), "\n {\"b\":2} \n");
}

TEST(QuoteJsonStringTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(QuoteJsonString(""), R"("")");
  EXPECT_EQ(QuoteJsonString("plain"), R"("plain")");
  EXPECT_EQ(QuoteJsonString("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(QuoteJsonString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(QuoteJsonString(std::string_view("\x00\x01\x1f\x7f", 4)),
            "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(QuoteJsonString("h\xC3\xA9 \xF0\x9F\x8E\x89"), "\"h\xC3\xA9 \xF0\x9F\x8E\x89\"");
  // Invalid UTF-8 becomes U+FFFD, byte by byte.
  EXPECT_EQ(QuoteJsonString("a\xFF\xC3"), "\"a\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(QuoteJsonString("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(QuoteJsonStringTest, RoundTripsThroughBoostJson) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<std::size_t>(byte(rng) % 24), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    const std::string quoted = QuoteJsonString(s);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(quoted, ec);
    ASSERT_FALSE(ec) << testing::PrintToString(quoted);
    ASSERT_TRUE(v.is_string());
    const std::string doc = "{" + quoted + ":1}";
    ASSERT_TRUE(ScanObject(doc).ok()) << testing::PrintToString(doc);
  }
}

// Random documents, random edits: the rewrite equals the edits applied to the parsed value.
TEST(RewriteObjectPropertyTest, AgreesWithEditingTheParsedValue) {
  std::mt19937 rng(12345);
  const std::vector<std::string> keys = {"model", "stream", "n", "messages", "tools", "x\"y", "é"};
  const std::vector<std::string> values = {"1", "\"s\"", "[1, {\"k\": null}]", "{}", "true",
                                           "-2.5e3"};
  const std::vector<std::string> spaces = {"", " ", "\n  ", "\t"};
  auto pick = [&](const auto& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  for (int round = 0; round < 500; ++round) {
    boost::json::object expected;
    std::string text = pick(spaces) + "{" + pick(spaces);
    std::vector<std::string> present;
    for (const std::string& key : keys) {
      if (rng() % 2) continue;
      if (!present.empty()) text += pick(spaces) + "," + pick(spaces);
      const std::string value = pick(values);
      text += QuoteJsonString(key) + pick(spaces) + ":" + pick(spaces) + value;
      expected[key] = boost::json::parse(value);
      present.push_back(key);
    }
    text += pick(spaces) + "}" + pick(spaces);

    std::vector<Edit> edits;
    const int edit_count = static_cast<int>(rng() % 5);
    for (int i = 0; i < edit_count; ++i) {
      const std::string key = pick(keys);
      if (rng() % 3 == 0) {
        edits.push_back(Remove(key));
        expected.erase(key);
      } else {
        const std::string value = pick(values);
        edits.push_back(Set(key, value));
        expected[key] = boost::json::parse(value);
      }
    }
    SCOPED_TRACE(text);
    const std::string out = Rewrite(text, edits);
    EXPECT_EQ(boost::json::parse(out), boost::json::value(expected)) << out;
  }
}

}  // namespace
}  // namespace switchyard::json

#include "json/object_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::json {
namespace {

ObjectScan MustScan(std::string_view text) {
  Result<ObjectScan> scan = ScanObject(text);
  EXPECT_TRUE(scan.ok()) << (scan.ok() ? "" : scan.error().message);
  return scan.ok() ? std::move(scan).value() : ObjectScan{};
}

std::string ScanError(std::string_view text) {
  Result<ObjectScan> scan = ScanObject(text);
  if (scan.ok()) return "(accepted)";
  EXPECT_EQ(scan.error().kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(scan.error().http_status, 400);
  return scan.error().message;
}

std::string Nested(int depth) {
  // An object at level 1 holding arrays down to `depth` levels.
  return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

TEST(ObjectScanTest, RecordsMembersTypesAndOffsets) {
  const std::string text =
      R"({"model":"gpt-4o","stream":true,"n":1.5e3,"x":null,"a":[1,{"b":2}],"o":{"k":"v"},)"
      R"("f":false})";
  ObjectScan scan = MustScan(text);
  ASSERT_EQ(scan.members.size(), 7u);
  struct Expected {
    std::string_view key, value;
    ValueType type;
  };
  const Expected expected[] = {
      {"model", "\"gpt-4o\"", ValueType::kString}, {"stream", "true", ValueType::kTrue},
      {"n", "1.5e3", ValueType::kNumber},          {"x", "null", ValueType::kNull},
      {"a", "[1,{\"b\":2}]", ValueType::kArray},   {"o", "{\"k\":\"v\"}", ValueType::kObject},
      {"f", "false", ValueType::kFalse}};
  for (std::size_t i = 0; i < 7; ++i) {
    const Member& m = scan.members[i];
    EXPECT_EQ(m.key, expected[i].key);
    EXPECT_EQ(ValueText(text, m), expected[i].value);
    EXPECT_EQ(m.type, expected[i].type);
    EXPECT_EQ(text.substr(m.key_begin, m.key.size() + 2), "\"" + m.key + "\"");
  }
  EXPECT_EQ(scan.open_brace, 0u);
  EXPECT_EQ(scan.close_brace, text.size() - 1);
}

TEST(ObjectScanTest, OffsetsWithWhitespaceEverywhere) {
  const std::string text = " \r\n\t{ \"a\" :\t1 ,\n  \"b\"  :  [ ] \n}\n ";
  ObjectScan scan = MustScan(text);
  ASSERT_EQ(scan.members.size(), 2u);
  EXPECT_EQ(scan.open_brace, 4u);
  EXPECT_EQ(scan.members[0].key_begin, 6u);
  EXPECT_EQ(scan.members[0].value_begin, 12u);
  EXPECT_EQ(scan.members[0].value_end, 13u);
  EXPECT_EQ(ValueText(text, scan.members[1]), "[ ]");
  EXPECT_EQ(scan.close_brace, text.rfind('}'));
}

TEST(ObjectScanTest, EmptyObject) {
  ObjectScan scan = MustScan("  { \n }  ");
  EXPECT_TRUE(scan.members.empty());
  EXPECT_EQ(scan.open_brace, 2u);
  EXPECT_EQ(scan.close_brace, 6u);
}

TEST(ObjectScanTest, EscapesInKeysAreUnescaped) {
  const std::string text = R"({"a\"b":1,"\u00e9t\u00E9":2,"\ud83d\ude00":3,"a\/b\\":4,"\n\t":5})";
  ObjectScan scan = MustScan(text);
  ASSERT_EQ(scan.members.size(), 5u);
  EXPECT_EQ(scan.members[0].key, "a\"b");
  EXPECT_EQ(scan.members[1].key, "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(scan.members[2].key, "\xF0\x9F\x98\x80");
  EXPECT_EQ(scan.members[3].key, "a/b\\");
  EXPECT_EQ(scan.members[4].key, "\n\t");
  ASSERT_NE(FindMember(scan, "\xF0\x9F\x98\x80"), nullptr);
  EXPECT_EQ(ValueText(text, *FindMember(scan, "\xF0\x9F\x98\x80")), "3");
  EXPECT_EQ(FindMember(scan, "missing"), nullptr);
  EXPECT_EQ(scan.members[1].key_begin, text.find("\"\\u00e9"));
}

TEST(ObjectScanTest, StringValueUnescapes) {
  const std::string text =
      R"({"s":"line\nnext \"q\" \\ \/ \b\f\r\t \u0041\u00e9\u4e16\ud83c\udf89","raw":"h)"
      "\xC3\xA9"
      R"(","n":12,"empty":""})";
  ObjectScan scan = MustScan(text);
  EXPECT_EQ(StringValue(text, *FindMember(scan, "s")),
            "line\nnext \"q\" \\ / \b\f\r\t A\xC3\xA9\xE4\xB8\x96\xF0\x9F\x8E\x89");
  EXPECT_EQ(StringValue(text, *FindMember(scan, "raw")), "h\xC3\xA9");
  EXPECT_EQ(StringValue(text, *FindMember(scan, "empty")), "");
  EXPECT_EQ(StringValue(text, *FindMember(scan, "n")), std::nullopt);
}

TEST(ObjectScanTest, ValidNumbersLiteralsAndUtf8) {
  for (std::string_view value :
       {"0", "-0", "1", "-1", "10", "1.5", "-0.0", "1e5", "1E+5", "1e-5", "-0.0e-0", "123.456E78",
        "99999999999999999999999999999999", "1e999", "true", "false", "null", "\"\"",
        "\"\xC2\xA2\"", "\"\xE2\x82\xAC\"", "\"\xED\x9F\xBF\"", "\"\xEE\x80\x80\"",
        "\"\xF0\x90\x8D\x88\"", "\"\xF4\x8F\xBF\xBF\"", "\"\x7F\"", "[]", "{}", "[1,[2,[3]]]",
        "{\"a\":{\"a\":1,\"a\":2}}"}) {
    SCOPED_TRACE(value);
    ObjectScan scan = MustScan("{\"v\":" + std::string(value) + "}");
    ASSERT_EQ(scan.members.size(), 1u);
    EXPECT_EQ(scan.members[0].value_end - scan.members[0].value_begin, value.size());
  }
}

TEST(ObjectScanTest, DepthLimitIs64) {
  EXPECT_EQ(ScanError(Nested(64)), "(accepted)");
  EXPECT_EQ(ScanError(Nested(65)),
            "request body is not valid JSON: nesting deeper than 64 levels at offset 68");
  EXPECT_NE(ScanError(Nested(10000)).find("nesting deeper than 64 levels"), std::string::npos);
}

TEST(ObjectScanTest, ErrorMessagesCarryOffsets) {
  EXPECT_EQ(ScanError(R"({"model":"a",})"),
            "request body is not valid JSON: expected a string key at offset 13");
  EXPECT_EQ(ScanError(R"({"model": x})"),
            "request body is not valid JSON: unexpected character at offset 10");
  EXPECT_EQ(ScanError(R"({"a":1} x)"),
            "request body is not valid JSON: unexpected character after the JSON value at "
            "offset 8");
  EXPECT_EQ(ScanError(R"({"a":"b)"),
            "request body is not valid JSON: unexpected end of input at offset 7");
  EXPECT_EQ(ScanError(""), "request body is not valid JSON: unexpected end of input at offset 0");
  EXPECT_EQ(ScanError(R"({"a":01})"),
            "request body is not valid JSON: leading zero in number at offset 6");
  EXPECT_EQ(ScanError("{\"a\":\"\x01\"}"),
            "request body is not valid JSON: control character in string at offset 6");
  EXPECT_EQ(ScanError("{\"a\":\"x\xC0\x80\"}"),
            "request body is not valid JSON: invalid UTF-8 in string at offset 7");
  EXPECT_EQ(ScanError(R"({"a":"\x"})"),
            "request body is not valid JSON: invalid escape at offset 6");
  EXPECT_EQ(ScanError(R"({"a":"\ud800"})"),
            "request body is not valid JSON: unpaired surrogate in \\u escape at offset 6");
}

TEST(ObjectScanTest, TopLevelMustBeAnObject) {
  EXPECT_EQ(ScanError("[1,2]"), "request body must be a JSON object");
  EXPECT_EQ(ScanError(" \"s\" "), "request body must be a JSON object");
  EXPECT_EQ(ScanError("42"), "request body must be a JSON object");
  // A malformed non-object is reported as malformed.
  EXPECT_EQ(ScanError("[1,]"), "request body is not valid JSON: unexpected character at offset 3");
}

TEST(ObjectScanTest, DuplicateTopLevelKeysAreRejected) {
  EXPECT_EQ(ScanError(R"({"model":"a","stream":true,"model":"b"})"),
            "request body is not valid JSON: duplicate key \"model\" at offset 27");
  // The same key spelled with an escape is the same key.
  EXPECT_EQ(ScanError(R"({"a":1,"\u0061":2})"),
            "request body is not valid JSON: duplicate key \"a\" at offset 7");
  // Keys that would not print well are not echoed.
  EXPECT_EQ(ScanError(R"({"\n":1,"\n":2})"),
            "request body is not valid JSON: duplicate key at offset 8");
  // Many keys take the sorted path; the first repeat in document order is reported.
  std::string many = "{";
  for (int i = 0; i < 100; ++i) many += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  std::string with_dup = many + "\"k50\":0,\"k7\":1}";
  EXPECT_EQ(ScanError(with_dup),
            "request body is not valid JSON: duplicate key \"k50\" at offset " +
                std::to_string(with_dup.find("\"k50\":0")));
  many.back() = '}';
  EXPECT_EQ(MustScan(many).members.size(), 100u);
}

TEST(ObjectScanTest, InvalidDocuments) {
  const std::string deep = Nested(65);
  const std::vector<std::string> invalid = {
      "",                                 // empty
      "   ",                              // whitespace only
      "{",                                // unterminated object
      "{\"a\":1",                         // unterminated object after a member
      "{\"a\":1,}",                       // trailing comma in object
      "{\"a\":[1,2,]}",                   // trailing comma in array
      "{,}",                              // lone comma
      "{\"a\" 1}",                        // missing colon
      "{\"a\":}",                         // missing value
      "{a:1}",                            // unquoted key
      "{'a':1}",                          // single quotes
      "{\"a\":'x'}",                      // single-quoted value
      "{\"a\":\"\\x\"}",                  // bad escape
      "{\"a\":\"\\u12G4\"}",              // bad hex
      "{\"a\":\"\\u12\"}",                // short \u
      "{\"a\":\"\\ud800\"}",              // escaped lone high surrogate
      "{\"a\":\"\\udc00\"}",              // escaped lone low surrogate
      "{\"a\":\"\\ud800\\u0041\"}",       // high surrogate followed by a non-surrogate
      "{\"a\":\"\xED\xA0\x80\"}",         // lone surrogate as raw bytes (CESU)
      "{\"a\":\"\xC0\xAF\"}",             // overlong
      "{\"a\":\"\xE0\x80\xAF\"}",         // overlong 3-byte
      "{\"a\":\"\xF4\x90\x80\x80\"}",     // above U+10FFFF
      "{\"a\":\"\xF5\x80\x80\x80\"}",     // invalid lead byte
      "{\"a\":\"\x80\"}",                 // lone continuation byte
      "{\"a\":\"\xE2\x82\"}",             // truncated sequence
      "{\"a\":\"\xFF\"}",                 // never valid in UTF-8
      "{\"a\":\"tab\there\"}",            // raw control character
      "{\"a\":\"nl\nhere\"}",             // raw newline
      "{\"a\":01}",                       // leading zero
      "{\"a\":1.}",                       // no fraction digits
      "{\"a\":.5}",                       // no integer part
      "{\"a\":-}",                        // lone minus
      "{\"a\":1e}",                       // no exponent digits
      "{\"a\":1e+}",                      // no exponent digits after sign
      "{\"a\":+1}",                       // leading plus
      "{\"a\":NaN}",                      // NaN
      "{\"a\":Infinity}",                 // Infinity
      "{\"a\":-Infinity}",                // -Infinity
      "{\"a\":0x10}",                     // hex
      "{\"a\":tru}",                      // truncated literal
      "{\"a\":True}",                     // capitalized literal
      "{\"a\":nul}",                      // truncated null
      "{\"a\":\"unterminated}",           // unterminated string
      "{\"a\":1}}",                       // extra brace
      "{\"a\":1} {\"b\":2}",              // two documents
      "{\"a\":1}x",                       // trailing garbage
      "{\"a\":[1 2]}",                    // missing comma in array
      "{\"a\":1 \"b\":2}",                // missing comma in object
      "{\"a\":1,\"a\":2}",                // duplicate key
      "[1,2]",                            // top-level array
      "\"s\"",                            // top-level string
      "null",                             // top-level null
      "\xEF\xBB\xBF{}",                   // BOM (RFC 8259: must not be added)
      "{\"a\":1}/*c*/",                   // comment
      "{\"a\":\x0C" "1}",                 // form feed is not whitespace
      "{\"a\":[}",                        // mismatched brackets
      "{\"a\":{]}",                       // mismatched brackets
      deep,                               // nested depth 65
  };
  ASSERT_GE(invalid.size(), 30u);
  for (const std::string& text : invalid) {
    SCOPED_TRACE(testing::PrintToString(text));
    Result<ObjectScan> scan = ScanObject(text);
    EXPECT_FALSE(scan.ok());
  }
  // A real NUL after the value.
  EXPECT_FALSE(ScanObject(std::string_view("{\"a\":1}\0", 8)).ok());
  EXPECT_FALSE(ScanObject(std::string_view("{\"a\":\"\0\"}", 9)).ok());
}

}  // namespace
}  // namespace switchyard::json

#include "json/object_skim.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/object_scan.h"

namespace switchyard::json {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

Members Skim(std::string_view text) {
  Members out;
  ObjectSkim skim(text);
  while (auto member = skim.Next()) out.emplace_back(member->raw_key, member->value);
  return out;
}

TEST(ObjectSkimTest, YieldsTopLevelMembersInOrder) {
  EXPECT_EQ(Skim(R"( { "a" : 1 , "b":"x", "c":[1,{"d":2}], "e":{"f":[]}, "g":null, "h":-2.5e3 } )"),
            (Members{{"a", "1"},
                     {"b", "\"x\""},
                     {"c", "[1,{\"d\":2}]"},
                     {"e", "{\"f\":[]}"},
                     {"g", "null"},
                     {"h", "-2.5e3"}}));
  EXPECT_EQ(Skim("{}"), Members{});
  EXPECT_EQ(Skim(" {\n}\n"), Members{});
}

TEST(ObjectSkimTest, NestedMembersAreNotTopLevel) {
  const std::string_view text = R"({"x_groq":{"usage":{"prompt_tokens":1}},)"
                                R"("choices":[{"usage":2}],"usage":{"prompt_tokens":3}})";
  EXPECT_EQ(FindTopLevelValue(text, "usage"), R"({"prompt_tokens":3})");
  EXPECT_EQ(FindTopLevelValue(R"({"x":{"usage":1}})", "usage"), std::nullopt);
}

TEST(ObjectSkimTest, BracketsAndQuotesInsideStringsDoNotCount) {
  const std::string_view text = R"({"a":"}]{[\"usage\":","b":["\\",{"c":"\\\"}"}],"usage":7})";
  EXPECT_EQ(Skim(text), (Members{{"a", R"("}]{[\"usage\":")"},
                                 {"b", R"(["\\",{"c":"\\\"}"}])"},
                                 {"usage", "7"}}));
}

TEST(ObjectSkimTest, KeysAreComparedRaw) {
  EXPECT_EQ(Skim(R"({"us\"age":1,"\u0075sage":2})"),
            (Members{{R"(us\"age)", "1"}, {R"(\u0075sage)", "2"}}));
  EXPECT_EQ(FindTopLevelValue(R"({"\u0075sage":2})", "usage"), std::nullopt);
}

TEST(ObjectSkimTest, NotAnObjectYieldsNothing) {
  for (std::string_view text : {"", "   ", "[1,2]", "\"usage\"", "null", "usage", "}"}) {
    EXPECT_EQ(Skim(text), Members{}) << text;
  }
}

TEST(ObjectSkimTest, MalformedTextStopsWithoutReadingPastTheEnd) {
  // Each of these ends early; what came before the fault is still yielded.
  EXPECT_EQ(Skim(R"({"a":1,"b")"), (Members{{"a", "1"}}));
  EXPECT_EQ(Skim(R"({"a":1 "b":2})"), (Members{{"a", "1"}}));
  EXPECT_EQ(Skim(R"({"a":)"), Members{});
  EXPECT_EQ(Skim(R"({"a)"), Members{});
  EXPECT_EQ(Skim(R"({a:1})"), Members{});
  EXPECT_EQ(Skim(R"({"a":,"b":1})"), Members{});
  // An unclosed container or string runs to the end of the text.
  EXPECT_EQ(Skim(R"({"a":[1,{"b":2})"), (Members{{"a", R"([1,{"b":2})"}}));
  EXPECT_EQ(Skim(R"({"a":"abc\")"), (Members{{"a", R"("abc\")"}}));
}

bool EndsWhole(std::string_view text) {
  ObjectSkim skim(text);
  while (skim.Next()) {
  }
  return skim.ended_whole();
}

TEST(ObjectSkimTest, EndedWholeOnlyAtTheClosingBraceAndTrailingSpace) {
  EXPECT_TRUE(EndsWhole("{}"));
  EXPECT_TRUE(EndsWhole(" { } \n"));
  EXPECT_TRUE(EndsWhole(R"({"a":1,"b":[{}]}  )"));
  EXPECT_FALSE(EndsWhole(R"({"a":1} trailing)"));
  EXPECT_FALSE(EndsWhole(R"({"a":1)"));
  EXPECT_FALSE(EndsWhole(R"({"a":1,})"));
  EXPECT_FALSE(EndsWhole(R"({"a":1 "b":2})"));
  EXPECT_FALSE(EndsWhole("[]"));
  EXPECT_FALSE(EndsWhole(""));
}

TEST(ObjectSkimTest, AgreesWithTheStrictScanOnAProviderAnswer) {
  const std::string_view text =
      R"({"id":"chatcmpl-1","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini",)"
      R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hi \"there\" {[",)"
      R"("refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,)"
      R"("completion_tokens":7,"prompt_tokens_details":{"cached_tokens":0}},)"
      R"("system_fingerprint":"fp"})";
  Result<ObjectScan> scan = ScanObject(text);
  ASSERT_TRUE(scan.ok());
  ObjectSkim skim(text);
  for (const Member& member : scan->members) {
    auto skimmed = skim.Next();
    ASSERT_TRUE(skimmed.has_value()) << member.key;
    EXPECT_EQ(skimmed->raw_key, member.key);
    EXPECT_EQ(skimmed->value, ValueText(text, member));
  }
  EXPECT_FALSE(skim.Next().has_value());
}

}  // namespace
}  // namespace switchyard::json

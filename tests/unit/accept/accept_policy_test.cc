#include "accept/accept_policy.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace switchyard::accept {
namespace {

// An AcceptConfig with what `set` turns on (designated initializers would leave the optional
// regex uninitialized in -Wextra's eyes).
using Config = config::AcceptConfig;

template <class Set>
Config With(Set set) {
  Config config;
  set(config);
  return config;
}

AcceptPolicy Policy(const config::AcceptConfig& config) {
  Result<AcceptPolicy> policy = AcceptPolicy::Compile(config);
  EXPECT_TRUE(policy.ok()) << policy.error().message;
  return policy.ok() ? *policy : AcceptPolicy();
}

std::string Reason(const AcceptPolicy& policy, std::string_view text, int tool_calls = 0,
                   const json_schema::Schema* schema = nullptr) {
  return policy.Check(Answer{text, tool_calls}, schema).value_or("acceptable");
}

TEST(AcceptPolicyTest, DefaultPolicyAcceptsEverySuccess) {
  const AcceptPolicy policy = Policy({});
  EXPECT_FALSE(policy.any());
  EXPECT_FALSE(policy.NeedsWholeAnswer());
  EXPECT_FALSE(policy.needs_schema());
  EXPECT_EQ(Reason(policy, ""), "acceptable");
  EXPECT_EQ(Reason(AcceptPolicy(), ""), "acceptable");
}

TEST(AcceptPolicyTest, NonEmptyWantsTextOrAToolCall) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.non_empty = true; }));
  EXPECT_TRUE(policy.any());
  EXPECT_FALSE(policy.NeedsWholeAnswer());  // the first content settles it
  EXPECT_EQ(Reason(policy, " \n\t "), "non_empty: empty answer");
  EXPECT_EQ(Reason(policy, ""), "non_empty: empty answer");
  EXPECT_EQ(Reason(policy, " x"), "acceptable");
  EXPECT_EQ(Reason(policy, "", 1), "acceptable");
}

TEST(AcceptPolicyTest, JsonWantsTheWholeTextToParse) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.json = true; }));
  EXPECT_TRUE(policy.NeedsWholeAnswer());
  EXPECT_EQ(Reason(policy, " {\"a\": [1, 2]}\n"), "acceptable");
  EXPECT_EQ(Reason(policy, "\"just a string\""), "acceptable");
  EXPECT_EQ(Reason(policy, "{\"a\": [1, 2}"), "json: not valid JSON (at offset 11)");
  EXPECT_EQ(Reason(policy, "Sure! {\"a\": 1}"), "json: not valid JSON (at offset 0)");
  EXPECT_EQ(Reason(policy, "{\"a\": 1} and more"), "json: not valid JSON (at offset 9)");
  EXPECT_EQ(Reason(policy, ""), "json: not valid JSON (at offset 0)");
  // A fenced block is not JSON to the client's parser, so it is not JSON here either.
  EXPECT_EQ(Reason(policy, "```json\n{\"a\": 1}\n```"), "json: not valid JSON (at offset 0)");
}

TEST(AcceptPolicyTest, JsonDepthIsBounded) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.json = true; }));
  const std::string deep = std::string(10'000, '[') + std::string(10'000, ']');
  EXPECT_EQ(Reason(policy, deep), "json: JSON nested deeper than 64 levels");
}

TEST(AcceptPolicyTest, MinLengthCountsCharacters) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.min_length = 10; }));
  EXPECT_EQ(Reason(policy, "abc"), "min_length: 3 characters, at least 10 wanted");
  EXPECT_EQ(Reason(policy, "äöüäöüäöüä"), "acceptable");  // 10 characters, 20 bytes
  EXPECT_EQ(Reason(policy, "äöüäö"), "min_length: 5 characters, at least 10 wanted");
}

TEST(AcceptPolicyTest, RegexSearchesTheText) {
  const AcceptPolicy policy =
      Policy(With([](Config& c) { c.regex = std::string("\\bYES\\b"); }));
  EXPECT_EQ(Reason(policy, "the answer is YES."), "acceptable");
  EXPECT_EQ(Reason(policy, "the answer is YESTERDAY"), "regex: no match");
}

TEST(AcceptPolicyTest, BadRegexIsAConfigError) {
  Result<AcceptPolicy> policy =
      AcceptPolicy::Compile(With([](Config& c) { c.regex = std::string("("); }));
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().kind, ErrorKind::kConfig);
}

TEST(AcceptPolicyTest, ToolCallWantsOne) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.tool_call = true; }));
  EXPECT_EQ(Reason(policy, "I would call a tool"), "tool_call: no tool call");
  EXPECT_EQ(Reason(policy, "", 2), "acceptable");
}

TEST(AcceptPolicyTest, JsonSchemaValidatesAgainstTheRequestsSchema) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.json_schema = true; }));
  EXPECT_TRUE(policy.needs_schema());
  Result<json_schema::Schema> schema = json_schema::Schema::Compile(boost::json::parse(
      R"({"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]})"));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(Reason(policy, R"({"age": 3})", 0, &*schema), "acceptable");
  EXPECT_EQ(Reason(policy, R"({"age": "3"})", 0, &*schema), "json_schema: /age: expected integer");
  EXPECT_EQ(Reason(policy, R"({"age": )", 0, &*schema),
            "json_schema: not valid JSON (at offset 8)");
  // Without a schema in the request, the check is json only.
  EXPECT_EQ(Reason(policy, R"({"age": "3"})"), "acceptable");
  EXPECT_EQ(Reason(policy, "no json"), "json_schema: not valid JSON (at offset 0)");
}

TEST(AcceptPolicyTest, TheFirstFailingCheckInRegistryOrderIsTheReason) {
  const AcceptPolicy policy = Policy(With([](Config& c) {
    c.non_empty = c.json = c.tool_call = true;
    c.min_length = 5;
    c.regex = std::string("^\\{");
  }));
  EXPECT_EQ(Reason(policy, ""), "non_empty: empty answer");
  EXPECT_EQ(Reason(policy, "x"), "tool_call: no tool call");
  EXPECT_EQ(Reason(policy, "x", 1), "min_length: 1 characters, at least 5 wanted");
  EXPECT_EQ(Reason(policy, "[1,2,3]", 1), "regex: no match");
  EXPECT_EQ(Reason(policy, "{\"a\":", 1), "json: not valid JSON (at offset 5)");
  EXPECT_EQ(Reason(policy, "{\"a\":1}", 1), "acceptable");
}

TEST(AcceptPolicyTest, ReasonsNeverQuoteTheAnswer) {
  const std::string secretish = "sk-" + std::string(500, 'z');
  const Config configs[] = {
      With([](Config& c) { c.non_empty = true; }), With([](Config& c) { c.json = true; }),
      With([](Config& c) { c.min_length = 1000; }), With([](Config& c) { c.regex = "^$"; }),
      With([](Config& c) { c.tool_call = true; })};
  for (const Config& config : configs) {
    const std::string reason = Reason(Policy(config), secretish);
    EXPECT_EQ(reason.find("zzz"), std::string::npos) << reason;
    EXPECT_LT(reason.size(), 120u);
  }
}

TEST(AcceptPolicyTest, CopiesShareTheChecks) {
  const AcceptPolicy policy = Policy(With([](Config& c) { c.regex = std::string("a"); }));
  const AcceptPolicy copy = policy;
  EXPECT_EQ(Reason(copy, "b"), "regex: no match");
  EXPECT_EQ(Reason(copy, "a"), "acceptable");
}

}  // namespace
}  // namespace switchyard::accept

#include "governance/policy_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchyard::governance {
namespace {

namespace json = boost::json;

json::object Fields(std::string_view text) { return json::parse(text).as_object(); }

TEST(PolicyJsonTest, ReadsEveryFieldAndWritesTheSameBack) {
  std::string name;
  config::KeyPolicy policy;
  ASSERT_TRUE(ApplyKeyFields(Fields(R"({"name":"app","team":"search","tags":{"env":"prod"},
      "models":["openai/*","fast"],"budget":{"usd":"10.05","period":"week","mode":"soft"},
      "limits":{"rpm":60,"output_tpm":1000},"expires_at":"2027-01-01T00:00:00Z"})"),
                             true, &name, &policy).ok());
  EXPECT_EQ(name, "app");
  EXPECT_EQ(policy.team, "search");
  EXPECT_EQ(policy.tags.at("env"), "prod");
  EXPECT_EQ(policy.models.size(), 2u);
  ASSERT_TRUE(policy.budget);
  EXPECT_EQ(policy.budget->nanos, 10'050'000'000);
  EXPECT_EQ(policy.budget->period, config::BudgetPeriod::kWeek);
  EXPECT_FALSE(policy.budget->hard);
  EXPECT_EQ(policy.limits.rpm, 60);
  EXPECT_FALSE(policy.limits.input_tpm);
  EXPECT_EQ(policy.limits.output_tpm, 1000);
  ASSERT_TRUE(policy.expires_at);

  std::string again_name;
  config::KeyPolicy again;
  ASSERT_TRUE(ApplyKeyFields(Fields(PolicyDocument(name, policy)), true, &again_name, &again).ok());
  EXPECT_EQ(PolicyDocument(again_name, again), PolicyDocument(name, policy));
  EXPECT_EQ(again.budget->nanos, 10'050'000'000);  // exact through the stored document
}

TEST(PolicyJsonTest, GuardrailsAreReadAndShownOnlyWhenSet) {
  std::string name;
  config::KeyPolicy policy;
  ASSERT_TRUE(ApplyKeyFields(Fields(R"({"name":"a","guardrails":["no-secrets","pii-out"]})"), true,
                             &name, &policy)
                  .ok());
  EXPECT_EQ(policy.guardrails, (std::vector<std::string>{"no-secrets", "pii-out"}));
  const json::value document = json::parse(PolicyDocument(name, policy));
  EXPECT_EQ(document.at("guardrails"), json::parse(R"(["no-secrets","pii-out"])"));
  config::KeyPolicy plain;
  EXPECT_FALSE(json::parse(PolicyDocument(name, plain)).as_object().contains("guardrails"));
  ASSERT_TRUE(ApplyKeyFields(Fields(R"({"guardrails":[]})"), false, &name, &policy).ok());
  EXPECT_TRUE(policy.guardrails.empty());
}

TEST(PolicyJsonTest, NumbersAreReadAsExactCents) {
  std::string name;
  config::KeyPolicy policy;
  ASSERT_TRUE(ApplyKeyFields(Fields(R"({"name":"a","budget":{"usd":0.1}})"), true, &name, &policy).ok());
  EXPECT_EQ(policy.budget->nanos, 100'000'000);
  EXPECT_EQ(policy.budget->period, config::BudgetPeriod::kMonth);
  EXPECT_TRUE(policy.budget->hard);
}

TEST(PolicyJsonTest, APatchChangesOnlyWhatItNamesAndNullRemoves) {
  std::string name = "a";
  config::KeyPolicy policy;
  policy.team = "t";
  policy.budget = config::BudgetLimit{5, config::BudgetPeriod::kDay, true};
  ASSERT_TRUE(ApplyKeyFields(Fields(R"({"budget":null})"), false, &name, &policy).ok());
  EXPECT_FALSE(policy.budget);
  EXPECT_EQ(policy.team, "t");
  EXPECT_EQ(name, "a");
}

TEST(PolicyJsonTest, BadFieldsAreNamedNeverDropped) {
  struct Case {
    std::string_view body;
    std::string_view says;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"name":"a","colour":"red"})", "unknown field 'colour'"},
           {R"({"name":""})", "name must be a non-empty string"},
           {R"({"team":"t"})", "a key needs a name"},
           {R"({"name":"a","budget":{"usd":-1}})", "budget.usd must be a positive"},
           {R"({"name":"a","budget":{"usd":"1.0000000001"}})", "budget.usd must be a positive"},
           {R"({"name":"a","budget":{"period":"day"}})", "budget needs usd"},
           {R"({"name":"a","budget":{"usd":1,"period":"year"}})", "budget.period must be"},
           {R"({"name":"a","budget":{"usd":1,"mode":"firm"}})", "budget.mode must be"},
           {R"({"name":"a","limits":{"rpm":0}})", "limits.rpm must be a whole number"},
           {R"({"name":"a","limits":{"rpm":1.5}})", "limits.rpm must be a whole number"},
           {R"({"name":"a","limits":{"rps":1}})", "unknown field 'rps'"},
           {R"({"name":"a","models":"openai/*"})", "models must be a list"},
           {R"({"name":"a","guardrails":"pii"})", "guardrails must be a list"},
           {R"({"name":"a","guardrails":[""]})", "guardrails must list non-empty names"},
           {R"({"name":"a","tags":{"env":1}})", "tags must map"},
           {R"({"name":"a","expires_at":"tomorrow"})", "expires_at must be an RFC 3339 time"},
       }) {
    std::string name;
    config::KeyPolicy policy;
    Status status = ApplyKeyFields(Fields(c.body), true, &name, &policy);
    ASSERT_FALSE(status.ok()) << c.body;
    EXPECT_EQ(status.error().http_status, 400) << c.body;
    EXPECT_NE(status.error().message.find(c.says), std::string::npos)
        << c.body << " → " << status.error().message;
  }
}

TEST(PolicyJsonTest, AKeyViewNeverHoldsASecretAndShowsItsState) {
  KeyRecord key;
  key.id = "key_0123456789abcdef";
  key.name = "app";
  key.prefix = "sy-abcdef";
  key.created_ms = key.updated_ms = 1'700'000'000'000;
  key.revoked_ms = 1'700'000'001'000;
  json::object view = KeyView(key, 1'500'000'000);
  EXPECT_EQ(view.at("id"), "key_0123456789abcdef");
  EXPECT_EQ(view.at("prefix"), "sy-abcdef");
  EXPECT_EQ(view.at("source"), "admin");
  EXPECT_FALSE(view.at("revoked_at").is_null());
  EXPECT_FALSE(view.contains("key"));
  const std::string text = SerializeView(view);
  EXPECT_NE(text.find(R"("spent_usd":1.5)"), std::string::npos) << text;
  EXPECT_EQ(text.find("usd:"), std::string::npos) << text;
}

TEST(PolicyJsonTest, MoneyIsShownExactlyAndAControlCharacterIsRefused) {
  KeyRecord key;
  key.name = "app";
  key.policy.budget = config::BudgetLimit{350'000'000, config::BudgetPeriod::kDay, true};
  const std::string text = SerializeView(KeyView(key, 7'000'000));
  EXPECT_NE(text.find(R"("budget":{"usd":0.35,"period":"day","mode":"hard"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("spent_usd":0.007)"), std::string::npos) << text;
  std::string name;
  config::KeyPolicy policy;
  EXPECT_FALSE(ApplyKeyFields(Fields("{\"name\":\"a\\u0001usd:5\"}"), true, &name, &policy).ok());
}

TEST(PolicyJsonTest, ScopedBudgets) {
  auto budget = ReadScopedBudget(Fields(R"({"scope":"team:search","usd":25,"period":"month"})"));
  ASSERT_TRUE(budget.ok()) << budget.error().message;
  EXPECT_EQ(budget->scope, "team:search");
  EXPECT_EQ(budget->limit.nanos, 25'000'000'000);
  auto stored = ReadBudgetDocument(BudgetDocument(budget->limit));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->nanos, 25'000'000'000);
  for (std::string_view bad : {R"({"usd":1})", R"({"scope":"teams:x","usd":1})",
                               R"({"scope":"tag:env","usd":1})", R"({"scope":"global"})"}) {
    EXPECT_FALSE(ReadScopedBudget(Fields(bad)).ok()) << bad;
  }
  EXPECT_TRUE(ReadScopedBudget(Fields(R"({"scope":"tag:env=prod","usd":1})")).ok());
  EXPECT_TRUE(ReadScopedBudget(Fields(R"({"scope":"global","usd":1})")).ok());
}

}  // namespace
}  // namespace switchyard::governance

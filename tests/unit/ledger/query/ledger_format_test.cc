#include "ledger/query/ledger_format.h"
#include "pricing/money.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/ledger_time.h"

namespace switchyard::ledger {
namespace {

namespace bjson = boost::json;

TEST(FormatUsdTest, IsExactFromIntegerNanos) {
  EXPECT_EQ(pricing::FormatUsd(0), "0");
  EXPECT_EQ(pricing::FormatUsd(1), "0.000000001");
  EXPECT_EQ(pricing::FormatUsd(1234), "0.000001234");
  EXPECT_EQ(pricing::FormatUsd(1'000'000'000), "1");
  EXPECT_EQ(pricing::FormatUsd(1'500'000'000), "1.5");
  EXPECT_EQ(pricing::FormatUsd(12'345'678'901), "12.345678901");
  EXPECT_EQ(pricing::FormatUsd(100'000), "0.0001");
  EXPECT_EQ(pricing::FormatUsd(-250'000'000), "-0.25");
  EXPECT_EQ(pricing::FormatUsd(std::numeric_limits<std::int64_t>::max()), "9223372036.854775807");
  EXPECT_EQ(pricing::FormatUsd(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775808");
}

TEST(FormatUsdTest, FixedKeepsNineDecimals) {
  EXPECT_EQ(FormatUsdFixed(0), "0.000000000");
  EXPECT_EQ(FormatUsdFixed(1234), "0.000001234");
  EXPECT_EQ(FormatUsdFixed(1'500'000'000), "1.500000000");
  EXPECT_EQ(FormatUsdFixed(-1), "-0.000000001");
}

TEST(FormatUsdTest, ReadsBackAsTheSameJsonNumber) {
  // A double cannot hold every nano-dollar amount, but the text must be the exact decimal.
  const bjson::value parsed = bjson::parse("{\"c\":" + pricing::FormatUsd(9'500'001) + "}");
  EXPECT_DOUBLE_EQ(parsed.at("c").as_double(), 0.009500001);
}

TEST(ParseOutputFormatTest, KnowsTheThreeFormats) {
  EXPECT_EQ(*ParseOutputFormat(""), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  Result<OutputFormat> bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "format 'xml' is not one of table, csv, json");
}

std::vector<SpendRow> TwoRows() {
  SpendRow served;
  served.group = "openai/gpt-4o-mini";
  served.calls = 2;
  served.attempts = 3;
  served.tokens.input_tokens = 1300;
  served.tokens.cached_input_tokens = 500;
  served.tokens.output_tokens = 300;
  served.tokens.reasoning_tokens = 90;
  served.cost_nanos = 9'500'001;
  SpendRow unpriced;
  unpriced.group = "groq/llama";
  unpriced.calls = 1;
  unpriced.attempts = 2;
  unpriced.tokens.input_tokens = 20;
  unpriced.tokens.output_tokens = 8;
  unpriced.unpriced_attempts = 2;
  SpendRow none;
  none.calls = 1;
  return {served, unpriced, none};
}

SpendQuery ModelQuery() {
  SpendQuery query;
  query.group = SpendGroup::kModel;
  query.range.since_ms = *ParseIsoTime("2026-03-01");
  return query;
}

TEST(FormatSpendTest, Json) {
  EXPECT_EQ(FormatSpend(TwoRows(), ModelQuery(), OutputFormat::kJson),
            R"({"group_by":"model","since":"2026-03-01T00:00:00.000Z","until":null,"rows":[)"
            R"({"group":"openai/gpt-4o-mini","calls":2,"attempts":3,"input_tokens":1300,)"
            R"("cached_input_tokens":500,"cache_write_tokens":0,"cache_write_1h_tokens":0,)"
            R"("output_tokens":300,"reasoning_tokens":90,"cost_usd":0.009500001,)"
            R"("unpriced_attempts":0},)"
            R"({"group":"groq/llama","calls":1,"attempts":2,"input_tokens":20,)"
            R"("cached_input_tokens":0,"cache_write_tokens":0,"cache_write_1h_tokens":0,)"
            R"("output_tokens":8,"reasoning_tokens":0,"cost_usd":0,"unpriced_attempts":2},)"
            R"({"group":null,"calls":1,"attempts":0,"input_tokens":0,"cached_input_tokens":0,)"
            R"("cache_write_tokens":0,"cache_write_1h_tokens":0,"output_tokens":0,)"
            R"("reasoning_tokens":0,"cost_usd":0,"unpriced_attempts":0}]})"
            "\n");
}

TEST(FormatSpendTest, JsonOfNoRows) {
  EXPECT_EQ(FormatSpend({}, SpendQuery{}, OutputFormat::kJson),
            R"({"group_by":"model","since":null,"until":null,"rows":[]})" "\n");
}

TEST(FormatSpendTest, Csv) {
  EXPECT_EQ(FormatSpend(TwoRows(), ModelQuery(), OutputFormat::kCsv),
            "group,calls,attempts,input_tokens,cached_input_tokens,cache_write_tokens,"
            "cache_write_1h_tokens,output_tokens,reasoning_tokens,cost_usd,unpriced_attempts\n"
            "openai/gpt-4o-mini,2,3,1300,500,0,0,300,90,0.009500001,0\n"
            "groq/llama,1,2,20,0,0,0,8,0,0,2\n"
            ",1,0,0,0,0,0,0,0,0,0\n");
}

TEST(FormatSpendTest, CsvQuotesFieldsThatNeedIt) {
  SpendRow row;
  row.group = "a,\"b\"";
  SpendQuery query;
  query.group = SpendGroup::kTag;
  query.tag = "feature";
  const std::string csv = FormatSpend({row}, query, OutputFormat::kCsv);
  EXPECT_NE(csv.find("\n\"a,\"\"b\"\"\",0,0,"), std::string::npos) << csv;
}

TEST(FormatSpendTest, TableIsAlignedWithATotalAndANoteOnUnknownPrices) {
  const std::string table = FormatSpend(TwoRows(), ModelQuery(), OutputFormat::kTable);
  EXPECT_EQ(table,
            "model               calls  attempts  input_tokens  cached_input_tokens  "
            "cache_write_tokens  cache_write_1h_tokens  output_tokens  reasoning_tokens  "
            "   cost_usd  unpriced_attempts\n"
            "openai/gpt-4o-mini      2         3          1300                  500  "
            "                 0                      0            300                90  "
            "0.009500001                  0\n"
            "groq/llama              1         2            20                    0  "
            "                 0                      0              8                 0  "
            "0.000000000                  2\n"
            "(none)                  1         0             0                    0  "
            "                 0                      0              0                 0  "
            "0.000000000                  0\n"
            "TOTAL                   4         5          1320                  500  "
            "                 0                      0            308                90  "
            "0.009500001                  2\n"
            "note: 2 attempts had no known price; cost_usd leaves them out (unknown, not $0)\n");
}

TEST(FormatReconcileTest, CsvAndJson) {
  ReconcileRow row;
  row.day = "2026-03-01";
  row.provider = "anthropic";
  row.model = "claude-x";
  row.attempts = 1;
  row.tokens.input_tokens = 100;
  row.tokens.cached_input_tokens = 20;
  row.tokens.cache_write_tokens = 30;
  row.tokens.cache_write_1h_tokens = 40;
  row.tokens.output_tokens = 50;
  row.cost_nanos = 1234;
  EXPECT_EQ(FormatReconcile({row}, {}, OutputFormat::kCsv),
            "day,provider,model,attempts,input_tokens,cached_input_tokens,cache_write_tokens,"
            "cache_write_1h_tokens,output_tokens,reasoning_tokens,cost_usd,unpriced_attempts\n"
            "2026-03-01,anthropic,claude-x,1,100,20,30,40,50,0,0.000001234,0\n");
  EXPECT_EQ(FormatReconcile({row}, {}, OutputFormat::kJson),
            R"({"since":null,"until":null,"rows":[{"day":"2026-03-01","provider":"anthropic",)"
            R"("model":"claude-x","attempts":1,"input_tokens":100,"cached_input_tokens":20,)"
            R"("cache_write_tokens":30,"cache_write_1h_tokens":40,"output_tokens":50,)"
            R"("reasoning_tokens":0,"cost_usd":0.000001234,"unpriced_attempts":0}]})" "\n");
  const std::string table = FormatReconcile({row}, {}, OutputFormat::kTable);
  EXPECT_NE(table.find("2026-03-01  anthropic  claude-x"), std::string::npos) << table;
  EXPECT_NE(table.find("TOTAL"), std::string::npos) << table;
  EXPECT_EQ(table.find("note:"), std::string::npos) << table;
}

CallRow RequestRow() {
  CallRow call;
  call.request_id = "req-a";
  call.time = "2026-03-01T10:00:00.000Z";
  call.key_name = "team-a";
  call.route = "resilient";
  call.inbound = "openai";
  call.requested_model = "resilient";
  call.provider = "anthropic";
  call.model = "claude-x";
  call.status = 200;
  call.latency_ms = 500;
  call.metadata_json = R"({"feature":"search"})";
  call.cost_nanos = 1234;
  AttemptRow failed;
  failed.n = 1;
  failed.kind = "primary";
  failed.provider = "openai";
  failed.model = "gpt-4o-mini";
  failed.outcome = "upstream_error";
  failed.http_status = 429;
  failed.reason = "rate limited";
  failed.cost_nanos = 0;
  AttemptRow timed_out = failed;
  timed_out.n = 2;
  timed_out.kind = "retry";
  timed_out.outcome = "timeout";
  timed_out.http_status = 0;
  timed_out.cost_nanos = std::nullopt;
  AttemptRow broke_off = failed;
  broke_off.n = 3;
  broke_off.kind = "fallback";
  broke_off.provider = "anthropic";
  broke_off.model = "claude-x";
  broke_off.outcome = "stream_error";
  broke_off.http_status = 200;
  broke_off.cost_nanos = 1234;
  broke_off.estimated = true;
  broke_off.ttft_ms = 90;
  call.attempts = {failed, timed_out, broke_off};
  return call;
}

TEST(FormatRequestJsonTest, MatchesTheAdminShape) {
  const std::string text = FormatRequestJson(RequestRow());
  EXPECT_NE(text.find(R"("cost_usd":0.000001234,"estimated":false)"), std::string::npos) << text;
  const bjson::object call = bjson::parse(text).as_object();
  EXPECT_EQ(call.at("request_id"), "req-a");
  EXPECT_EQ(call.at("time"), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(call.at("key"), "team-a");
  EXPECT_EQ(call.at("route"), "resilient");
  EXPECT_EQ(call.at("inbound"), "openai");
  EXPECT_EQ(call.at("provider"), "anthropic");
  EXPECT_EQ(call.at("model"), "claude-x");
  EXPECT_EQ(call.at("status"), 200);
  EXPECT_TRUE(call.at("cache").is_null());
  EXPECT_FALSE(call.contains("guardrails"));  // none fired: no field
  EXPECT_FALSE(call.contains("variant"));     // a call of no experiment: neither field
  EXPECT_FALSE(call.contains("epoch"));
  EXPECT_EQ(call.at("latency_ms"), 500);
  EXPECT_TRUE(call.at("ttft_ms").is_null());
  EXPECT_EQ(call.at("metadata").at("feature"), "search");
  const bjson::array& attempts = call.at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].at("status"), 429);
  EXPECT_EQ(attempts[0].at("kind"), "primary");
  EXPECT_EQ(attempts[0].at("reason"), "rate limited");
  EXPECT_EQ(attempts[0].at("cost_usd"), 0);
  EXPECT_EQ(attempts[1].at("status"), "timeout");
  EXPECT_TRUE(attempts[1].at("cost_usd").is_null());  // unknown price: null, never 0
  EXPECT_EQ(attempts[2].at("status"), "stream_error");
  EXPECT_EQ(attempts[2].at("estimated"), true);
  EXPECT_EQ(attempts[2].at("ttft_ms"), 90);
  for (const char* field : {"input_tokens", "cached_input_tokens", "cache_write_tokens",
                            "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
                            "latency_ms"}) {
    EXPECT_TRUE(attempts[0].as_object().contains(field)) << field;
  }
}

TEST(FormatRequestJsonTest, UnknownCostAndEmptyRouteAreNull) {
  CallRow call = RequestRow();
  call.cost_nanos = std::nullopt;
  call.route.clear();
  call.metadata_json.clear();
  call.error = "rate limited \"everywhere\"";
  const bjson::object parsed = bjson::parse(FormatRequestJson(call)).as_object();
  EXPECT_TRUE(parsed.at("cost_usd").is_null());
  EXPECT_TRUE(parsed.at("route").is_null());
  EXPECT_TRUE(parsed.at("metadata").is_null());
  EXPECT_EQ(parsed.at("error"), "rate limited \"everywhere\"");
}

TEST(FormatRequestJsonTest, GuardrailsAreAnArrayInFiringOrder) {
  CallRow call = RequestRow();
  call.guardrails = "no-secrets:deny,pii-out:redact";
  const std::string text = FormatRequestJson(call);
  EXPECT_NE(text.find(R"("cache":null,"guardrails":[{"name":"no-secrets","action":"deny"},)"
                      R"({"name":"pii-out","action":"redact"}],"latency_ms":500)"),
            std::string::npos)
      << text;
  const bjson::value parsed = bjson::parse(text);
  const bjson::array& fired = parsed.at("guardrails").as_array();
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0].at("name"), "no-secrets");
  EXPECT_EQ(fired[0].at("action"), "deny");
  EXPECT_EQ(fired[1].at("name"), "pii-out");
  EXPECT_EQ(fired[1].at("action"), "redact");
}

TEST(FormatRequestJsonTest, AGuardrailNameMaySplitOnlyAtItsLastColon) {
  CallRow call = RequestRow();
  call.guardrails = "team:a:\"x\":flag,,bare";
  const bjson::value parsed = bjson::parse(FormatRequestJson(call));
  const bjson::array& fired = parsed.at("guardrails").as_array();
  ASSERT_EQ(fired.size(), 2u);  // the empty entry is skipped
  EXPECT_EQ(fired[0].at("name"), "team:a:\"x\"");
  EXPECT_EQ(fired[0].at("action"), "flag");
  EXPECT_EQ(fired[1].at("name"), "bare");
  EXPECT_EQ(fired[1].at("action"), "");
}

TEST(FormatRequestJsonTest, AnExperimentsCallNamesItsVariantAndEpoch) {
  CallRow call = RequestRow();
  call.variant = "b";
  call.epoch = "3f2a";
  const std::string text = FormatRequestJson(call);
  EXPECT_NE(text.find(R"("cache":null,"variant":"b","epoch":"3f2a","latency_ms":500)"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace switchyard::ledger

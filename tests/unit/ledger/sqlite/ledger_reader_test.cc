#include "ledger/sqlite/ledger_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "ledger/query/ledger_format.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/ledger_test_util.h"
#include "unit/ledger/spend_fixture.h"

namespace switchyard::ledger {
namespace {

using testing_util::At;
using testing_util::Attempt;
using testing_util::TempDir;
using testing_util::Tokens;

// Compact expectation: group, calls, attempts, six token classes, cost, unpriced.
struct Want {
  std::optional<std::string> group;
  std::int64_t calls, attempts, input, cached, write_5m, write_1h, output, reasoning, cost, unpriced;
};

void ExpectRows(const std::vector<SpendRow>& got, const std::vector<Want>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i) + " " + want[i].group.value_or("(none)"));
    const SpendRow& row = got[i];
    EXPECT_EQ(row.group, want[i].group);
    EXPECT_EQ(row.calls, want[i].calls);
    EXPECT_EQ(row.attempts, want[i].attempts);
    EXPECT_EQ(row.tokens.input_tokens, want[i].input);
    EXPECT_EQ(row.tokens.cached_input_tokens, want[i].cached);
    EXPECT_EQ(row.tokens.cache_write_tokens, want[i].write_5m);
    EXPECT_EQ(row.tokens.cache_write_1h_tokens, want[i].write_1h);
    EXPECT_EQ(row.tokens.output_tokens, want[i].output);
    EXPECT_EQ(row.tokens.reasoning_tokens, want[i].reasoning);
    EXPECT_EQ(row.cost_nanos, want[i].cost);
    EXPECT_EQ(row.unpriced_attempts, want[i].unpriced);
  }
}

class LedgerReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("ledger.db");
    auto sink = SqliteLedgerSink::Open(path_);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (const CallRecord& call : testing_util::SpendFixtureCalls()) (*sink)->Record(call);
    (*sink)->Flush();
    sink_ = std::move(*sink);  // kept open: the reader reads while the writer holds the file
    auto reader = LedgerReader::Open(path_);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    reader_ = std::move(*reader);
  }

  std::vector<SpendRow> Spend(std::string_view group_by, std::string_view since = "",
                              std::string_view until = "") {
    Result<SpendQuery> query = ParseSpendQuery(since, until, group_by);
    EXPECT_TRUE(query.ok()) << query.error().message;
    Result<std::vector<SpendRow>> rows = reader_->Spend(*query);
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() ? *rows : std::vector<SpendRow>{};
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteLedgerSink> sink_;
  std::unique_ptr<LedgerReader> reader_;
};

TEST_F(LedgerReaderTest, SpendByKey) {
  ExpectRows(Spend("key"), {
      {"team-a", 2, 3, 1100, 520, 30, 40, 250, 50, 2'501'234, 0},
      {"team-b", 2, 3, 320, 0, 0, 0, 108, 40, 7'000'001, 2},
      {std::nullopt, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // req-d: no key, no attempt
  });
}

TEST_F(LedgerReaderTest, SpendByModelCountsEachAttemptUnderItsOwnModel) {
  ExpectRows(Spend("model"), {
      {"anthropic/claude-x", 1, 1, 100, 20, 30, 40, 50, 0, 1234, 0},
      {"groq/llama", 1, 2, 20, 0, 0, 0, 8, 0, 0, 2},
      {"openai/gpt-4o-mini", 2, 3, 1300, 500, 0, 0, 300, 90, 9'500'001, 0},
  });
}

TEST_F(LedgerReaderTest, SpendByProvider) {
  ExpectRows(Spend("provider"), {
      {"anthropic", 1, 1, 100, 20, 30, 40, 50, 0, 1234, 0},
      {"groq", 1, 2, 20, 0, 0, 0, 8, 0, 0, 2},
      {"openai", 2, 3, 1300, 500, 0, 0, 300, 90, 9'500'001, 0},
  });
}

TEST_F(LedgerReaderTest, SpendByRoute) {
  ExpectRows(Spend("route"), {
      {"quick", 1, 2, 310, 0, 0, 0, 103, 40, 7'000'001, 1},
      {"resilient", 2, 3, 110, 20, 30, 40, 55, 0, 1234, 1},
      {std::nullopt, 2, 1, 1000, 500, 0, 0, 200, 50, 2'500'000, 0},
  });
}

TEST_F(LedgerReaderTest, SpendByDaySplitsAtUtcMidnight) {
  ExpectRows(Spend("day"), {
      {"2026-03-01", 2, 3, 1100, 520, 30, 40, 250, 50, 2'501'234, 0},
      {"2026-03-02", 3, 3, 320, 0, 0, 0, 108, 40, 7'000'001, 2},
  });
}

TEST_F(LedgerReaderTest, SpendByMetadataTag) {
  ExpectRows(Spend("tag:feature"), {
      {"chat", 1, 1, 1000, 500, 0, 0, 200, 50, 2'500'000, 0},
      {"search", 2, 3, 110, 20, 30, 40, 55, 0, 1234, 1},
      {std::nullopt, 2, 2, 310, 0, 0, 0, 103, 40, 7'000'001, 1},  // req-d (none), req-e (no tag)
  });
}

TEST_F(LedgerReaderTest, SinceIsInclusiveAndUntilExclusiveToTheMillisecond) {
  ExpectRows(Spend("day", "2026-03-02"), {
      {"2026-03-02", 3, 3, 320, 0, 0, 0, 108, 40, 7'000'001, 2},
  });
  ExpectRows(Spend("day", "", "2026-03-02T00:00:00Z"), {
      {"2026-03-01", 2, 3, 1100, 520, 30, 40, 250, 50, 2'501'234, 0},
  });
  // An offset is honoured: 01:00 at +01:00 is midnight UTC.
  ExpectRows(Spend("key", "2026-03-01T23:59:59.999Z", "2026-03-02T01:00:00.001+01:00"), {
      {"team-a", 1, 1, 1000, 500, 0, 0, 200, 50, 2'500'000, 0},
      {"team-b", 1, 1, 10, 0, 0, 0, 5, 0, 0, 1},
  });
  EXPECT_TRUE(Spend("key", "2030-01-01").empty());
}

TEST_F(LedgerReaderTest, ReconcilePerDayProviderAndModel) {
  Result<std::vector<ReconcileRow>> rows = reader_->Reconcile({});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  auto expect = [&](std::size_t i, std::string day, std::string provider, std::string model,
                    std::int64_t attempts, canonical::Usage tokens, std::int64_t cost,
                    std::int64_t unpriced) {
    SCOPED_TRACE(i);
    const ReconcileRow& row = (*rows)[i];
    EXPECT_EQ(row.day, day);
    EXPECT_EQ(row.provider, provider);
    EXPECT_EQ(row.model, model);
    EXPECT_EQ(row.attempts, attempts);
    EXPECT_EQ(row.tokens.input_tokens, tokens.input_tokens);
    EXPECT_EQ(row.tokens.cached_input_tokens, tokens.cached_input_tokens);
    EXPECT_EQ(row.tokens.cache_write_tokens, tokens.cache_write_tokens);
    EXPECT_EQ(row.tokens.cache_write_1h_tokens, tokens.cache_write_1h_tokens);
    EXPECT_EQ(row.tokens.output_tokens, tokens.output_tokens);
    EXPECT_EQ(row.tokens.reasoning_tokens, tokens.reasoning_tokens);
    EXPECT_EQ(row.cost_nanos, cost);
    EXPECT_EQ(row.unpriced_attempts, unpriced);
  };
  expect(0, "2026-03-01", "anthropic", "claude-x", 1, Tokens(100, 20, 30, 40, 50, 0), 1234, 0);
  expect(1, "2026-03-01", "openai", "gpt-4o-mini", 2, Tokens(1000, 500, 0, 0, 200, 50), 2'500'000,
         0);
  expect(2, "2026-03-02", "groq", "llama", 2, Tokens(20, 0, 0, 0, 8, 0), 0, 2);
  expect(3, "2026-03-02", "openai", "gpt-4o-mini", 1, Tokens(300, 0, 0, 0, 100, 40), 7'000'001, 0);

  TimeRange day_two_only;
  day_two_only.since_ms = *ParseIsoTime("2026-03-02");
  Result<std::vector<ReconcileRow>> day_two = reader_->Reconcile(day_two_only);
  ASSERT_TRUE(day_two.ok());
  EXPECT_EQ(day_two->size(), 2u);
}

TEST_F(LedgerReaderTest, FindRequestReturnsTheCallAndItsAttempts) {
  Result<CallRow> call = reader_->FindRequest("req-e");
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->request_id, "req-e");
  EXPECT_EQ(call->time, "2026-03-02T13:00:00.000Z");
  EXPECT_EQ(call->key_name, "team-b");
  EXPECT_EQ(call->route, "quick");
  EXPECT_EQ(call->provider, "openai");
  EXPECT_EQ(call->model, "gpt-4o-mini");
  EXPECT_EQ(call->status, 200);
  EXPECT_EQ(call->cost_nanos, std::nullopt);  // the cancelled groq attempt's price is unknown
  EXPECT_EQ(call->metadata_json, R"({"user":"u2"})");
  EXPECT_EQ(call->cache, std::nullopt);
  EXPECT_EQ(call->guardrails, "");
  ASSERT_EQ(call->attempts.size(), 2u);
  EXPECT_EQ(call->attempts[0].kind, "primary");
  EXPECT_EQ(call->attempts[0].outcome, "cancelled");
  EXPECT_EQ(call->attempts[0].cost_nanos, std::nullopt);
  EXPECT_EQ(call->attempts[1].kind, "fallback");
  EXPECT_EQ(call->attempts[1].usage.reasoning_tokens, 40);
  EXPECT_EQ(call->attempts[1].cost_nanos, 7'000'001);
  EXPECT_EQ(call->attempts[1].ttft_ms, 80);

  Result<CallRow> priced = reader_->FindRequest("req-a");
  ASSERT_TRUE(priced.ok());
  EXPECT_EQ(priced->cost_nanos, 1234);
  EXPECT_EQ(priced->attempts[0].http_status, 429);
  EXPECT_EQ(priced->attempts[0].reason, "rate limited");
  EXPECT_EQ(priced->guardrails, "pii-out:redact,tone:flag");
}

// Written by the sink, read back by FindRequest, shown by GET /admin/requests/{id}'s JSON.
TEST_F(LedgerReaderTest, GuardrailsRoundTripIntoTheRequestJson) {
  Result<CallRow> fired = reader_->FindRequest("req-a");
  ASSERT_TRUE(fired.ok()) << fired.error().message;
  EXPECT_EQ(fired->guardrails, "pii-out:redact,tone:flag");
  const std::string text = FormatRequestJson(*fired);
  EXPECT_NE(text.find(R"("guardrails":[{"name":"pii-out","action":"redact"},)"
                      R"({"name":"tone","action":"flag"}])"),
            std::string::npos)
      << text;

  Result<CallRow> quiet = reader_->FindRequest("req-b");
  ASSERT_TRUE(quiet.ok()) << quiet.error().message;
  EXPECT_EQ(quiet->guardrails, "");
  EXPECT_EQ(FormatRequestJson(*quiet).find("guardrails"), std::string::npos);
}

TEST_F(LedgerReaderTest, FindRequestOfAnUnknownIdIsNotFound) {
  Result<CallRow> call = reader_->FindRequest("req-zzz");
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(call.error().message.find("req-zzz"), std::string::npos);
}

TEST_F(LedgerReaderTest, ReadsAClosedLedgerToo) {
  sink_.reset();  // the writer closes: WAL checkpointed, -wal and -shm removed
  reader_.reset();
  auto reader = LedgerReader::Open(path_);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<SpendQuery> query = ParseSpendQuery("", "", "day");
  Result<std::vector<SpendRow>> rows = (*reader)->Spend(*query);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->size(), 2u);
}

// Defect 5 of issue 11: after ~1.4k attempts with absurd usage (clamped at 2^40 tokens and priced
// at $824,633 each) SQLite's sum() failed every spend report with "integer overflow", for good.
// Rows like those (written before the fix, or by any other means) must still give a report: exact
// sums below 2^53, saturated at int64 beyond.
TEST(LedgerReaderHugeRowsTest, SpendStillAnswersWhenSumsPassInt64) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  constexpr int kCalls = 2000;
  constexpr std::int64_t kTokens = std::int64_t{1} << 40;
  constexpr std::int64_t kCost = std::int64_t{1} << 53;  // 2000 of them: past 2^63
  {
    auto sink = SqliteLedgerSink::Open(path);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (int i = 0; i < kCalls; ++i) {
      CallRecord call = testing_util::SimpleCall("req-huge-" + std::to_string(i));
      call.attempts[0].usage = Tokens(kTokens, 0, 0, 0, kTokens, 0);
      call.attempts[0].cost_nanos = kCost;
      (*sink)->Record(call);
    }
    (*sink)->Flush();
  }
  auto reader = LedgerReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<SpendQuery> query = ParseSpendQuery("", "", "model");
  ASSERT_TRUE(query.ok());
  Result<std::vector<SpendRow>> rows = (*reader)->Spend(*query);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].calls, kCalls);
  EXPECT_EQ((*rows)[0].tokens.input_tokens, kCalls * kTokens);
  EXPECT_EQ((*rows)[0].tokens.output_tokens, kCalls * kTokens);
  EXPECT_EQ((*rows)[0].cost_nanos, std::numeric_limits<std::int64_t>::max());
  Result<std::vector<ReconcileRow>> reconciled = (*reader)->Reconcile(query->range);
  ASSERT_TRUE(reconciled.ok()) << reconciled.error().message;
  ASSERT_EQ(reconciled->size(), 1u);
  EXPECT_EQ((*reconciled)[0].cost_nanos, std::numeric_limits<std::int64_t>::max());
  // The table's TOTAL of saturated rows saturates too (no signed overflow: UBSan would say).
  std::vector<SpendRow> twice = *rows;
  twice.push_back(twice[0]);
  twice[1].group = "other/model";
  EXPECT_NE(FormatSpend(twice, *query, OutputFormat::kTable).find("TOTAL"), std::string::npos);
}

TEST(LedgerReaderOpenTest, AMissingDatabaseIsOneClearSentence) {
  TempDir dir;
  const std::string path = dir.File("nowhere/ledger.db");
  auto reader = LedgerReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message,
            "there is no ledger at " + path +
                ": the gateway creates it when it first starts with this ledger path");
  EXPECT_FALSE(std::filesystem::exists(path));  // reading never creates it
}

TEST(LedgerReaderOpenTest, AFileThatIsNotALedgerIsRefused) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  {
    Result<SqliteDb> db = SqliteDb::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  auto reader = LedgerReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("is not a switchyard ledger"), std::string::npos)
      << reader.error().message;
}

}  // namespace
}  // namespace switchyard::ledger

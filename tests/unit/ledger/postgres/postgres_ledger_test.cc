// The PostgreSQL ledger against a real server (scripts/with-postgres.sh; skipped without one): no
// loss, Flush, idempotent schema, one row per request id, NULL for an unknown cost, reconnection,
// late records added to their calls, and spend/reconcile/request answers identical to the SQLite
// backend's for the same calls.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger_factory.h"
#include "ledger/schema_version.h"
#include "ledger/postgres/postgres_ledger_reader.h"
#include "ledger/postgres/postgres_ledger_sink.h"
#include "ledger/query/ledger_format.h"
#include "ledger/sqlite/ledger_reader.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/experiment_fixture.h"
#include "unit/ledger/ledger_test_util.h"
#include "unit/ledger/postgres/postgres_test_util.h"
#include "unit/ledger/spend_fixture.h"

namespace switchyard::ledger {
namespace {

using testing_util::PostgresTestDatabase;
using testing_util::SimpleCall;

std::unique_ptr<PostgresLedgerSink> OpenSink(const std::string& url,
                                             const LedgerSinkOptions& options = {}) {
  auto sink = PostgresLedgerSink::Open(url, options);
  EXPECT_TRUE(sink.ok()) << sink.error().message;
  return sink.ok() ? std::move(*sink) : nullptr;
}

TEST(PostgresLedgerSinkTest, ConcurrentCallsAreAllStoredExactlyOnce) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 300;
  LedgerSinkOptions options;
  // Room for every call: a full queue drops and counts (BatchingLedgerSinkTest and
  // SqliteLedgerSinkTest.FullQueueHoldsItsBoundAndCountsWhatItDrops hold that); this test is about
  // concurrent writers and batches, each call stored once.
  options.max_queued = kThreads * kPerThread;
  options.max_batch = 50;
  auto sink = OpenSink(db.url(), options);
  ASSERT_NE(sink, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        sink->Record(SimpleCall("t" + std::to_string(t) + "-" + std::to_string(i), 1 + i % 3));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  sink->Flush();
  const std::int64_t calls = kThreads * kPerThread;
  // Attempts per thread: i % 3 + 1 over 300 calls = 100 × (1 + 2 + 3).
  const std::int64_t attempts = kThreads * 100 * 6;
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), calls);
  EXPECT_EQ(db.QueryInt("SELECT count(DISTINCT request_id) FROM calls"), calls);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM attempts"), attempts);
  EXPECT_EQ(db.QueryInt("SELECT sum(attempts) FROM calls"), attempts);
  EXPECT_EQ(db.QueryInt("SELECT sum(cost_nanos) FROM attempts"), attempts * 15);
  const LedgerSinkStats stats = sink->stats();
  EXPECT_EQ(stats.recorded, static_cast<std::uint64_t>(calls));
  EXPECT_EQ(stats.committed, static_cast<std::uint64_t>(calls));
  EXPECT_EQ(stats.abandoned, 0u);
  EXPECT_EQ(stats.duplicates, 0u);
}

TEST(PostgresLedgerSinkTest, FlushReturnsOnceEverythingQueuedIsCommitted) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->PauseWriterForTest();
  for (int i = 0; i < 10; ++i) sink->Record(SimpleCall("req-" + std::to_string(i)));
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 0);  // queued, not written
  EXPECT_EQ(sink->stats().queued, 10u);
  sink->ResumeWriterForTest();
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 10);
  sink->Record(SimpleCall("req-last"));
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE request_id = 'req-last'"), 1);
  sink->Record(SimpleCall("req-at-close"));
  sink.reset();  // the destructor drains too
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 12);
}

TEST(PostgresLedgerSinkTest, SchemaCreationIsIdempotent) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  {
    auto reader = PostgresLedgerReader::Open(db.url());
    ASSERT_FALSE(reader.ok());  // reading never creates a ledger
    EXPECT_NE(reader.error().message.find("there is no ledger"), std::string::npos)
        << reader.error().message;
  }
  auto first = OpenSink(db.url());
  auto second = OpenSink(db.url());  // while the first is open
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  first->Record(SimpleCall("req-1"));
  first.reset();
  auto third = OpenSink(db.url());  // after a close: the rows stay
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM schema_version"), 1);
  EXPECT_EQ(db.QueryInt("SELECT max(version) FROM schema_version"), kLedgerSchemaVersion);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 1);
  EXPECT_TRUE(PostgresLedgerReader::Open(db.url()).ok());
}

TEST(PostgresLedgerSinkTest, ADatabaseWithSomeoneElsesCallsTableIsRefused) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  db.Exec("CREATE TABLE calls (x integer)");
  auto sink = PostgresLedgerSink::Open(db.url());
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.error().message.find("is not a switchyard ledger"), std::string::npos)
      << sink.error().message;
}

TEST(PostgresLedgerSinkTest, ARepeatedRequestIdIsStoredOnce) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->PauseWriterForTest();
  sink->Record(SimpleCall("req-dup", 1));
  sink->Record(SimpleCall("req-dup", 3));  // the same batch
  sink->ResumeWriterForTest();
  sink->Flush();
  sink->Record(SimpleCall("req-dup", 2));  // a later batch
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 1);
  EXPECT_EQ(db.QueryInt("SELECT attempts FROM calls"), 1);  // the first record's
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM attempts"), 1);
  EXPECT_EQ(sink->stats().duplicates, 2u);
}

TEST(PostgresLedgerSinkTest, AnUnknownCostIsNullNeverZero) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  CallRecord call = SimpleCall("req-unpriced", 2);
  call.attempts[1].cost_nanos = std::nullopt;
  sink->Record(call);
  sink->Record(SimpleCall("req-free"));
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM calls WHERE request_id = 'req-unpriced'"), -1);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM attempts WHERE request_id = 'req-unpriced' AND "
                        "n = 2"), -1);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM attempts WHERE request_id = 'req-unpriced' AND "
                        "n = 1"), 15);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM calls WHERE request_id = 'req-free'"), 15);
  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<CallRow> row = (*reader)->FindRequest("req-unpriced");
  ASSERT_TRUE(row.ok()) << row.error().message;
  EXPECT_EQ(row->cost_nanos, std::nullopt);
  ASSERT_EQ(row->attempts.size(), 2u);
  EXPECT_EQ(row->attempts[0].cost_nanos, 15);
  EXPECT_EQ(row->attempts[1].cost_nanos, std::nullopt);
}

// Written by the sink ('' when none fired: the column is NOT NULL), read back by FindRequest, shown
// by the request's JSON.
TEST(PostgresLedgerSinkTest, GuardrailsRoundTripIntoTheRequestJson) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  CallRecord guarded = SimpleCall("req-guarded");
  guarded.guardrails = "no-secrets:deny,pii-out:redact";
  sink->Record(guarded);
  sink->Record(SimpleCall("req-plain"));
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE request_id = 'req-guarded' AND "
                        "guardrails = 'no-secrets:deny,pii-out:redact'"),
            1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE request_id = 'req-plain' AND "
                        "guardrails = ''"),
            1);
  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<CallRow> row = (*reader)->FindRequest("req-guarded");
  ASSERT_TRUE(row.ok()) << row.error().message;
  EXPECT_EQ(row->guardrails, "no-secrets:deny,pii-out:redact");
  const std::string text = FormatRequestJson(*row);
  EXPECT_NE(text.find(R"("guardrails":[{"name":"no-secrets","action":"deny"},)"
                      R"({"name":"pii-out","action":"redact"}])"),
            std::string::npos)
      << text;
  Result<CallRow> plain = (*reader)->FindRequest("req-plain");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->guardrails, "");
  EXPECT_EQ(FormatRequestJson(*plain).find("guardrails"), std::string::npos);
}

// A call of experiment trial/e1 (variant b, one primary attempt costing 15) and its late record:
// a shadow and a judge attempt costing `cost` each, and a judgement.
CallRecord ExperimentCall(const std::string& id) {
  CallRecord call = SimpleCall(id);
  call.route = "trial";
  call.variant = "b";
  call.epoch = "e1";
  return call;
}

CallRecord LateOf(const std::string& id, std::optional<std::int64_t> cost = 7) {
  using testing_util::LateAttempt;
  return testing_util::Late(
      id, {LateAttempt(2, AttemptKind::kShadow, cost), LateAttempt(3, AttemptKind::kJudge, cost)},
      testing_util::Judged("b", "b_wins", 1'500, cost ? std::optional(2 * *cost) : std::nullopt));
}

void ExpectCallWithLateAttempts(const PostgresTestDatabase& db, const std::string& id) {
  const std::string where = " FROM calls WHERE request_id = '" + id + "'";
  EXPECT_EQ(db.QueryInt("SELECT attempts" + where), 3);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos" + where), 29);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM attempts WHERE request_id = '" + id +
                        "' AND kind IN ('shadow', 'judge') AND n IN (2, 3)"),
            2);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM judgements WHERE request_id = '" + id +
                        "' AND route = 'trial' AND epoch = 'e1' AND mode = 'pairwise' AND "
                        "variant_a = 'a' AND variant_b = 'b' AND served = 'b' AND outcome = "
                        "'b_wins' AND score IS NULL AND a_first = '2' AND b_first = '1' AND "
                        "reason = 'because b_wins' AND cost_nanos = 14"),
            1);
}

TEST(PostgresLedgerSinkTest, ALateRecordInTheSameBatchAddsToItsCall) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->PauseWriterForTest();
  sink->Record(ExperimentCall("req-1"));
  sink->RecordLate(LateOf("req-1"));
  sink->ResumeWriterForTest();
  sink->Flush();
  EXPECT_EQ(sink->stats().batches, 1u);
  ExpectCallWithLateAttempts(db, "req-1");
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE variant = 'b' AND epoch = 'e1'"), 1);

  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<CallRow> row = (*reader)->FindRequest("req-1");
  ASSERT_TRUE(row.ok()) << row.error().message;
  EXPECT_EQ(row->variant, "b");
  EXPECT_EQ(row->epoch, "e1");
  ASSERT_EQ(row->attempts.size(), 3u);
  EXPECT_EQ(row->attempts[1].kind, "shadow");
  EXPECT_EQ(row->attempts[2].kind, "judge");
  const std::string text = FormatRequestJson(*row);
  EXPECT_NE(text.find(R"("variant":"b","epoch":"e1")"), std::string::npos) << text;
}

TEST(PostgresLedgerSinkTest, ALateRecordInALaterBatchAddsToItsCall) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->Record(ExperimentCall("req-1"));
  sink->Flush();
  CallRecord late = LateOf("req-1");
  late.attempts[1].usage_estimated = true;
  sink->RecordLate(late);
  sink->Flush();
  EXPECT_EQ(sink->stats().batches, 2u);
  ExpectCallWithLateAttempts(db, "req-1");
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE estimated"), 1);
}

TEST(PostgresLedgerSinkTest, ALateRecordWithoutItsCallIsSkippedAndTheBatchStillCommits) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->PauseWriterForTest();
  sink->RecordLate(LateOf("req-never-recorded"));
  sink->Record(SimpleCall("req-2"));
  sink->ResumeWriterForTest();
  sink->Flush();
  const LedgerSinkStats stats = sink->stats();
  EXPECT_EQ(stats.write_errors, 0u);
  EXPECT_EQ(stats.abandoned, 0u);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM attempts"), 1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM judgements"), 0);
}

TEST(PostgresLedgerSinkTest, AnUnknownCostOnEitherSideMakesTheCallsCostUnknown) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  CallRecord unpriced_call = ExperimentCall("req-unpriced-call");
  unpriced_call.attempts[0].cost_nanos = std::nullopt;
  sink->Record(unpriced_call);
  sink->Record(ExperimentCall("req-unpriced-late"));
  sink->RecordLate(LateOf("req-unpriced-call"));
  sink->RecordLate(LateOf("req-unpriced-late", std::nullopt));
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM calls WHERE request_id = 'req-unpriced-call'"), -1);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM calls WHERE request_id = 'req-unpriced-late'"), -1);
  EXPECT_EQ(db.QueryInt("SELECT cost_nanos FROM judgements WHERE request_id = "
                        "'req-unpriced-late'"),
            -1);
  EXPECT_EQ(db.QueryInt("SELECT sum(attempts) FROM calls"), 6);
}

TEST(PostgresLedgerSinkTest, AJudgementsReasonIsCutAtACharacterAndARepeatedOneIsIgnored) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  sink->Record(ExperimentCall("req-1"));
  CallRecord late = LateOf("req-1");
  late.judgement->reason.assign(499, 'x');
  late.judgement->reason += "\xc3\xa9 and more";  // é across byte 500
  late.judgement->mode = "score";
  late.judgement->variant_a = "";
  late.judgement->score = 8;
  sink->RecordLate(late);
  CallRecord again = LateOf("req-1");
  again.attempts[0].n = 4;
  again.attempts[1].n = 5;
  again.judgement->outcome = "a_wins";
  sink->RecordLate(again);
  sink->Flush();
  EXPECT_EQ(sink->stats().write_errors, 0u);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM judgements"), 1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM judgements WHERE outcome = 'b_wins' AND score = 8 "
                        "AND variant_a = '' AND reason = repeat('x', 499)"),
            1);
  EXPECT_EQ(db.QueryInt("SELECT attempts FROM calls"), 5);
}

// Defect 5 of issue 11: sums past int64 must still give a spend report. PostgreSQL's sum() of
// bigint is numeric (it does not fail), but its text past int64 used to read as 0.
TEST(PostgresLedgerSinkTest, SpendStillAnswersWhenSumsPassInt64) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto sink = OpenSink(db.url());
  ASSERT_NE(sink, nullptr);
  constexpr int kCalls = 2000;
  constexpr std::int64_t kTokens = std::int64_t{1} << 40;
  constexpr std::int64_t kCost = std::int64_t{1} << 53;  // 2000 of them: past 2^63
  for (int i = 0; i < kCalls; ++i) {
    CallRecord call = SimpleCall("req-huge-" + std::to_string(i));
    call.attempts[0].usage = testing_util::Tokens(kTokens, 0, 0, 0, kTokens, 0);
    call.attempts[0].cost_nanos = kCost;
    sink->Record(call);
  }
  sink->Flush();
  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<SpendQuery> query = ParseSpendQuery("", "", "model");
  ASSERT_TRUE(query.ok());
  Result<std::vector<SpendRow>> rows = (*reader)->Spend(*query);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].calls, kCalls);
  EXPECT_EQ((*rows)[0].tokens.input_tokens, kCalls * kTokens);
  EXPECT_EQ((*rows)[0].cost_nanos, std::numeric_limits<std::int64_t>::max());
}

TEST(PostgresLedgerSinkTest, TheWriterReconnectsAfterTheConnectionIsLost) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  LedgerSinkOptions options;
  options.retry_backoff = std::chrono::milliseconds(1);
  auto sink = OpenSink(db.url(), options);
  ASSERT_NE(sink, nullptr);
  sink->Record(SimpleCall("before"));
  sink->Flush();
  // Kill every other session of the database: the writer's connection dies under it.
  EXPECT_GE(db.QueryInt("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                        "datname = current_database() AND pid <> pg_backend_pid()"), 1);
  for (int i = 0; i < 20; ++i) sink->Record(SimpleCall("after-" + std::to_string(i)));
  sink->Flush();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 21);
  EXPECT_EQ(sink->stats().abandoned, 0u);
}

TEST(PostgresLedgerSinkTest, ErrorsNameTheHostAndDatabaseButNeverTheUrl) {
  // No server needed: nothing listens on port 1.
  const std::string url = "postgresql://switchyard:hunter2-secret@127.0.0.1:1/ledgerdb";
  auto sink = PostgresLedgerSink::Open(url);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().message.find("hunter2-secret"), std::string::npos) << sink.error().message;
  EXPECT_EQ(sink.error().message.find(url), std::string::npos);
  EXPECT_NE(sink.error().message.find("127.0.0.1:1/ledgerdb"), std::string::npos)
      << sink.error().message;
  // A URL libpq cannot parse is not quoted either (libpq's own message would echo the token).
  auto bad = PostgresLedgerReader::Open("postgresql://u:p%zzsecret@127.0.0.1:1/db");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.find("secret"), std::string::npos) << bad.error().message;
}

// The same fixture through both backends: every answer must be identical.
class PostgresMatchesSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_POSTGRES();
    config::LedgerConfig sqlite;
    sqlite.backend = "sqlite";
    sqlite.path = dir_.File("ledger.db");
    config::LedgerConfig postgres;
    postgres.backend = "postgres";
    postgres.url = Secret(db_.url());
    for (const config::LedgerConfig* config : {&sqlite, &postgres}) {
      Result<OpenedLedger> opened = OpenLedger(*config);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      for (const CallRecord& call : testing_util::SpendFixtureCalls()) opened->sink->Record(call);
      opened->sink->Flush();
      ledgers_.push_back(std::move(*opened));
    }
  }
  LedgerStore& sqlite() { return *ledgers_[0].store; }
  LedgerStore& postgres() { return *ledgers_[1].store; }

  testing_util::TempDir dir_;
  PostgresTestDatabase db_;
  std::vector<OpenedLedger> ledgers_;
};

void ExpectSameUsage(const canonical::Usage& a, const canonical::Usage& b) {
  EXPECT_EQ(a.input_tokens, b.input_tokens);
  EXPECT_EQ(a.cached_input_tokens, b.cached_input_tokens);
  EXPECT_EQ(a.cache_write_tokens, b.cache_write_tokens);
  EXPECT_EQ(a.cache_write_1h_tokens, b.cache_write_1h_tokens);
  EXPECT_EQ(a.output_tokens, b.output_tokens);
  EXPECT_EQ(a.reasoning_tokens, b.reasoning_tokens);
}

TEST_F(PostgresMatchesSqliteTest, SpendForEveryGroupingAndRange) {
  const std::vector<std::string> groupings = {"key", "model", "provider", "route", "day",
                                              "tag:feature", "tag:user", "tag:absent"};
  const std::vector<std::pair<std::string, std::string>> ranges = {
      {"", ""}, {"2026-03-02", ""}, {"", "2026-03-02T00:00:00Z"},
      {"2026-03-01T23:59:59.999Z", "2026-03-02T01:00:00.001+01:00"}, {"2030-01-01", ""}};
  for (const std::string& group_by : groupings) {
    for (const auto& [since, until] : ranges) {
      SCOPED_TRACE(group_by + " [" + since + ", " + until + ")");
      Result<SpendQuery> query = ParseSpendQuery(since, until, group_by);
      ASSERT_TRUE(query.ok());
      Result<std::vector<SpendRow>> want = sqlite().Spend(*query);
      Result<std::vector<SpendRow>> got = postgres().Spend(*query);
      ASSERT_TRUE(want.ok()) << want.error().message;
      ASSERT_TRUE(got.ok()) << got.error().message;
      ASSERT_EQ(got->size(), want->size());
      for (std::size_t i = 0; i < want->size(); ++i) {
        SCOPED_TRACE(i);
        const SpendRow& w = (*want)[i];
        const SpendRow& g = (*got)[i];
        EXPECT_EQ(g.group, w.group);
        EXPECT_EQ(g.calls, w.calls);
        EXPECT_EQ(g.attempts, w.attempts);
        ExpectSameUsage(g.tokens, w.tokens);
        EXPECT_EQ(g.cost_nanos, w.cost_nanos);
        EXPECT_EQ(g.unpriced_attempts, w.unpriced_attempts);
      }
    }
  }
}

TEST_F(PostgresMatchesSqliteTest, Reconcile) {
  Result<std::vector<ReconcileRow>> want = sqlite().Reconcile({});
  Result<std::vector<ReconcileRow>> got = postgres().Reconcile({});
  ASSERT_TRUE(want.ok()) << want.error().message;
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), want->size());
  ASSERT_EQ(got->size(), 4u);
  for (std::size_t i = 0; i < want->size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ((*got)[i].day, (*want)[i].day);
    EXPECT_EQ((*got)[i].provider, (*want)[i].provider);
    EXPECT_EQ((*got)[i].model, (*want)[i].model);
    EXPECT_EQ((*got)[i].attempts, (*want)[i].attempts);
    ExpectSameUsage((*got)[i].tokens, (*want)[i].tokens);
    EXPECT_EQ((*got)[i].cost_nanos, (*want)[i].cost_nanos);
    EXPECT_EQ((*got)[i].unpriced_attempts, (*want)[i].unpriced_attempts);
  }
}

TEST_F(PostgresMatchesSqliteTest, RequestById) {
  for (const CallRecord& record : testing_util::SpendFixtureCalls()) {
    SCOPED_TRACE(record.request_id);
    Result<CallRow> want = sqlite().FindRequest(record.request_id);
    Result<CallRow> got = postgres().FindRequest(record.request_id);
    ASSERT_TRUE(want.ok()) << want.error().message;
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->request_id, want->request_id);
    EXPECT_EQ(got->time, want->time);
    EXPECT_EQ(got->time_ms, want->time_ms);
    EXPECT_EQ(got->key_name, want->key_name);
    EXPECT_EQ(got->route, want->route);
    EXPECT_EQ(got->provider, want->provider);
    EXPECT_EQ(got->model, want->model);
    EXPECT_EQ(got->status, want->status);
    EXPECT_EQ(got->stream, want->stream);
    EXPECT_EQ(got->error, want->error);
    EXPECT_EQ(got->latency_ms, want->latency_ms);
    EXPECT_EQ(got->cost_nanos, want->cost_nanos);
    EXPECT_EQ(got->estimated, want->estimated);
    EXPECT_EQ(got->cache, want->cache);
    EXPECT_EQ(got->guardrails, want->guardrails);
    EXPECT_EQ(got->guardrails, record.guardrails);
    EXPECT_EQ(got->variant, want->variant);
    EXPECT_EQ(got->epoch, want->epoch);
    // jsonb normalizes the text (spacing, key order); the value is the same.
    EXPECT_EQ(got->metadata_json.empty(), want->metadata_json.empty());
    if (!want->metadata_json.empty()) {
      EXPECT_EQ(boost::json::parse(got->metadata_json), boost::json::parse(want->metadata_json));
    }
    ASSERT_EQ(got->attempts.size(), want->attempts.size());
    for (std::size_t i = 0; i < want->attempts.size(); ++i) {
      const AttemptRow& g = got->attempts[i];
      const AttemptRow& w = want->attempts[i];
      EXPECT_EQ(g.n, w.n);
      EXPECT_EQ(g.kind, w.kind);
      EXPECT_EQ(g.provider, w.provider);
      EXPECT_EQ(g.model, w.model);
      EXPECT_EQ(g.outcome, w.outcome);
      EXPECT_EQ(g.http_status, w.http_status);
      EXPECT_EQ(g.reason, w.reason);
      ExpectSameUsage(g.usage, w.usage);
      EXPECT_EQ(g.usage.reported, w.usage.reported);
      EXPECT_EQ(g.cost_nanos, w.cost_nanos);
      EXPECT_EQ(g.estimated, w.estimated);
      EXPECT_EQ(g.latency_ms, w.latency_ms);
      EXPECT_EQ(g.ttft_ms, w.ttft_ms);
    }
  }
  Result<CallRow> missing = postgres().FindRequest("req-zzz");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace switchyard::ledger

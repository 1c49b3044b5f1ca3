#include "ledger/sqlite/sqlite_ledger_sink.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "ledger/query/ledger_format.h"
#include "ledger/sqlite/ledger_reader.h"
#include "ledger/sqlite/ledger_schema.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::Attempt;
using testing_util::At;
using testing_util::QueryInt;
using testing_util::SimpleCall;
using testing_util::TempDir;
using testing_util::Tokens;

std::unique_ptr<SqliteLedgerSink> OpenSink(const std::string& path,
                                           const SqliteLedgerOptions& options = {}) {
  Result<std::unique_ptr<SqliteLedgerSink>> sink = SqliteLedgerSink::Open(path, options);
  EXPECT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.error().message);
  return sink.ok() ? std::move(*sink) : nullptr;
}

// The first row's first column as text, "NULL" for NULL.
std::string QueryText(const std::string& path, const std::string& sql) {
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/true);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  if (!db.ok()) return "";
  Result<SqliteStatement> stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << sql << ": " << (stmt.ok() ? "" : stmt.error().message);
  if (!stmt.ok()) return "";
  std::string error;
  EXPECT_TRUE(stmt->Step(&error)) << sql << ": " << error;
  return stmt->IsNull(0) ? std::string("NULL") : stmt->Text(0);
}

// Silences the sink's error log while a test provokes write failures on purpose.
class QuietLog {
 public:
  QuietLog() : level_(spdlog::get_level()) { spdlog::set_level(spdlog::level::off); }
  ~QuietLog() { spdlog::set_level(level_); }

 private:
  spdlog::level::level_enum level_;
};

TEST(SqliteLedgerSinkTest, WritesEveryColumnOfACallAndItsAttempts) {
  TempDir dir;
  const std::string path = dir.File("data/ledger.db");  // the directory does not exist yet
  CallRecord record;
  record.request_id = "req-1";
  record.time = At("2026-03-01T23:59:59.123Z");
  record.key_name = "team-a";
  record.method = "POST";
  record.path = "/v1/chat/completions";
  record.inbound = "openai";
  record.requested_model = "resilient";
  record.route = "resilient";
  record.provider = "anthropic";
  record.model = "claude-x";
  record.status = 200;
  record.stream = true;
  record.latency_ms = 900;
  record.ttft_ms = 150;
  record.metadata_json = R"({"feature":"search"})";
  record.guardrails = "no-secrets:deny,pii-out:redact";
  record.attempts.push_back(Attempt(1, "openai", "gpt-4o-mini", Tokens(0, 0, 0, 0, 0, 0), 0,
                                    AttemptOutcome::kUpstreamError, 429));
  record.attempts.back().reason = "rate limited";
  record.attempts.push_back(
      Attempt(2, "anthropic", "claude-x", Tokens(100, 20, 30, 40, 50, 7), std::nullopt));
  record.attempts.back().usage_estimated = true;
  record.attempts.back().ttft_ms = 120;

  auto sink = OpenSink(path);
  ASSERT_NE(sink, nullptr);
  sink->Record(record);
  sink->Flush();

  auto text = [&](const std::string& sql) { return QueryText(path, sql); };
  EXPECT_EQ(text("SELECT time FROM calls"), "2026-03-01T23:59:59.123Z");
  EXPECT_EQ(QueryInt(path, "SELECT time_ms FROM calls"), 1772409599123);
  EXPECT_EQ(text("SELECT key_name || '|' || method || '|' || path || '|' || inbound || '|' || "
                 "requested_model || '|' || route || '|' || provider || '|' || model FROM calls"),
            "team-a|POST|/v1/chat/completions|openai|resilient|resilient|anthropic|claude-x");
  EXPECT_EQ(text("SELECT status || ',' || stream || ',' || latency_ms || ',' || ttft_ms || ',' || "
                 "attempts || ',' || estimated FROM calls"), "200,1,900,150,2,1");
  EXPECT_EQ(text("SELECT error FROM calls"), "NULL");
  EXPECT_EQ(text("SELECT metadata FROM calls"), R"({"feature":"search"})");
  EXPECT_EQ(text("SELECT cost_nanos FROM calls"), "NULL");  // one attempt's price is unknown
  EXPECT_EQ(text("SELECT guardrails FROM calls"), "no-secrets:deny,pii-out:redact");

  EXPECT_EQ(text("SELECT kind || ',' || provider || ',' || model || ',' || outcome || ',' || "
                 "http_status || ',' || reason || ',' || cost_nanos FROM attempts WHERE n = 1"),
            "primary,openai,gpt-4o-mini,upstream_error,429,rate limited,0");
  EXPECT_EQ(text("SELECT kind || ',' || input_tokens || ',' || cached_input_tokens || ',' || "
                 "cache_write_tokens || ',' || cache_write_1h_tokens || ',' || output_tokens || "
                 "',' || reasoning_tokens || ',' || estimated || ',' || latency_ms || ',' || "
                 "ttft_ms || ',' || usage_reported FROM attempts WHERE n = 2"),
            "fallback,100,20,30,40,50,7,1,200,120,1");
  EXPECT_EQ(text("SELECT cost_nanos FROM attempts WHERE n = 2"), "NULL");
  EXPECT_EQ(text("PRAGMA journal_mode"), "wal");
}

// The insert statements are reset but not cleared between rows, and bind text without copying it:
// a value absent from a row must still be stored as NULL right after a row that had one, and each
// row must get its own strings.
TEST(SqliteLedgerSinkTest, AbsentValuesAreNullEvenAfterARowThatHadThem) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  CallRecord full = SimpleCall("req-full");
  full.time = At("2024-02-29T12:00:00.250Z");
  full.route = "resilient";
  full.error = "upstream said no";
  full.ttft_ms = 30;
  full.metadata_json = R"({"feature":"search"})";
  full.guardrails = "tone:flag";
  full.attempts[0].reason = "slow";
  full.attempts[0].ttft_ms = 25;
  CallRecord bare = SimpleCall("req-bare");  // no route, error, ttft or metadata; price unknown
  bare.attempts[0].cost_nanos = std::nullopt;

  auto sink = OpenSink(path);
  ASSERT_NE(sink, nullptr);
  sink->PauseWriterForTest();  // both calls in one batch, through the same statements
  sink->Record(full);
  sink->Record(bare);
  sink->Record(SimpleCall("req-after"));
  sink->ResumeWriterForTest();
  sink->Flush();
  EXPECT_EQ(sink->stats().batches, 1u);

  const std::string call_columns =
      "SELECT quote(time) || ',' || quote(route) || ',' || quote(error) || ',' || quote(ttft_ms) "
      "|| ',' || quote(metadata) || ',' || quote(cost_nanos) || ',' || quote(cache) || ',' || "
      "quote(guardrails) FROM calls ";
  EXPECT_EQ(QueryText(path, call_columns + "WHERE request_id = 'req-full'"),
            "'2024-02-29T12:00:00.250Z','resilient','upstream said no',30,"
            R"('{"feature":"search"}',15,NULL,'tone:flag')");
  // guardrails is NOT NULL: '' when none fired.
  EXPECT_EQ(QueryText(path, call_columns + "WHERE request_id = 'req-bare'"),
            "'2026-03-01T10:00:00.000Z','',NULL,NULL,NULL,NULL,NULL,''");
  const std::string attempt_columns =
      "SELECT quote(reason) || ',' || quote(ttft_ms) || ',' || quote(cost_nanos) FROM attempts ";
  EXPECT_EQ(QueryText(path, attempt_columns + "WHERE request_id = 'req-full'"), "'slow',25,15");
  EXPECT_EQ(QueryText(path, attempt_columns + "WHERE request_id = 'req-bare'"), "'',NULL,NULL");
  EXPECT_EQ(QueryText(path, attempt_columns + "WHERE request_id = 'req-after'"), "'',NULL,15");
}

TEST(SqliteLedgerSinkTest, KnownCostsAreSummedIntoTheCallRow) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->Record(SimpleCall("req-1", 3));
  sink->Flush();
  EXPECT_EQ(QueryInt(path, "SELECT cost_nanos FROM calls"), 45);
}

TEST(SqliteLedgerSinkTest, ConcurrentRecordsAreAllWritten) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        sink->Record(SimpleCall(fmt::format("req-{}-{}", t, i), i % 3 + 1));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  sink->Flush();

  // Attempts per thread: 500 calls cycling through 1, 2, 3 attempts → 167·1 + 167·2 + 166·3.
  const std::int64_t attempts_per_thread = 167 * 1 + 167 * 2 + 166 * 3;
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), kThreads * kPerThread);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), kThreads * attempts_per_thread);
  EXPECT_EQ(QueryInt(path, "SELECT sum(attempts) FROM calls"), kThreads * attempts_per_thread);
  const SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.recorded, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.committed, stats.recorded);
  EXPECT_EQ(stats.abandoned, 0u);
  EXPECT_EQ(stats.queued, 0u);
}

TEST(SqliteLedgerSinkTest, FullQueueHoldsItsBoundAndCountsWhatItDrops) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  SqliteLedgerOptions options;
  options.max_queued = 8;
  options.max_batch = 3;
  auto sink = OpenSink(path, options);
  sink->PauseWriterForTest();  // the slowest writer there is: the queue only fills

  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) sink->Record(SimpleCall(fmt::format("r{}-{}", t, i), 2));
    });
  }
  for (std::thread& thread : threads) thread.join();
  SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.recorded, 8u);
  EXPECT_EQ(stats.queued, 8u);
  EXPECT_EQ(stats.dropped, 92u);  // every record after the eighth found the queue full
  EXPECT_EQ(stats.committed, 0u);

  sink->ResumeWriterForTest();
  sink->Flush();
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 8);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 16);
  stats = sink->stats();
  EXPECT_EQ(stats.committed, 8u);
  EXPECT_EQ(stats.queued, 0u);
}

TEST(SqliteLedgerSinkTest, TinyQueueWritesEveryCallItAccepted) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  SqliteLedgerOptions options;
  options.max_queued = 1;
  options.max_batch = 1;
  options.batch_window = std::chrono::milliseconds(0);
  auto sink = OpenSink(path, options);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 150;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) sink->Record(SimpleCall(fmt::format("r{}-{}", t, i)));
    });
  }
  for (std::thread& thread : threads) thread.join();
  sink->Flush();
  const SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.recorded + stats.dropped, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.committed, stats.recorded);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"),
            static_cast<std::int64_t>(stats.recorded));
}

TEST(SqliteLedgerSinkTest, DestructionFlushes) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    SqliteLedgerOptions options;
    options.batch_window = std::chrono::hours(1);  // only the shutdown can end the batch
    auto sink = OpenSink(path, options);
    for (int i = 0; i < 50; ++i) sink->Record(SimpleCall("req-" + std::to_string(i), 2));
  }
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 50);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 100);
}

TEST(SqliteLedgerSinkTest, FlushCutsTheBatchWindowShort) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  SqliteLedgerOptions options;
  options.batch_window = std::chrono::hours(1);
  auto sink = OpenSink(path, options);
  sink->Record(SimpleCall("req-1"));
  sink->Flush();  // would hang for an hour if Flush waited out the window
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 1);
}

TEST(SqliteLedgerSinkTest, ReopeningKeepsTheSchemaAndTheRows) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  for (int round = 0; round < 3; ++round) {
    auto sink = OpenSink(path);
    ASSERT_NE(sink, nullptr);
    sink->Record(SimpleCall("req-" + std::to_string(round)));
  }
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 3);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM schema_version"), 1);
  EXPECT_EQ(QueryInt(path, "SELECT version FROM schema_version"), kLedgerSchemaVersion);
  // The readers' indexes and no more: every index costs the writer a b-tree insert per row.
  EXPECT_EQ(QueryText(path, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                            "WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' "
                            "ORDER BY name)"),
            "calls_by_experiment,calls_by_time,judgements_by_experiment");
}

TEST(SqliteLedgerSinkTest, ADuplicateRequestIdIsStoredOnceAndCounted) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->Record(SimpleCall("req-1", 1));
  sink->Record(SimpleCall("req-1", 3));
  sink->Flush();
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 1);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 1);  // the first record's
  EXPECT_EQ(sink->stats().duplicates, 1u);
}

TEST(SqliteLedgerSinkTest, FailedTransactionsAreRetriedWithTheSameRecords) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  SqliteLedgerOptions options;
  options.retry_backoff = std::chrono::milliseconds(0);
  options.drain_retries = 10;
  auto sink = OpenSink(path, options);
  sink->FailWritesForTest(3);
  for (int i = 0; i < 10; ++i) sink->Record(SimpleCall("req-" + std::to_string(i)));
  sink->Flush();
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 10);
  const SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.write_errors, 3u);
  EXPECT_EQ(stats.committed, 10u);
  EXPECT_EQ(stats.abandoned, 0u);
}

TEST(SqliteLedgerSinkTest, FlushGivesUpOnADatabaseThatKeepsFailingAndCountsIt) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  SqliteLedgerOptions options;
  options.retry_backoff = std::chrono::milliseconds(0);
  options.drain_retries = 2;
  auto sink = OpenSink(path, options);
  sink->FailWritesForTest(-1);
  for (int i = 0; i < 3; ++i) sink->Record(SimpleCall("req-" + std::to_string(i)));
  sink->Flush();  // returns: the records are logged as unwritten, not waited on forever
  SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.abandoned, 3u);
  EXPECT_EQ(stats.committed, 0u);
  EXPECT_GE(stats.write_errors, 2u);

  sink->FailWritesForTest(0);  // the disk is back: later records are written again
  sink->Record(SimpleCall("req-later"));
  sink->Flush();
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 1);
}

TEST(SqliteLedgerSinkTest, ShutdownWithADatabaseThatKeepsFailingStillEnds) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    SqliteLedgerOptions options;
    options.max_batch = 2;
    options.retry_backoff = std::chrono::milliseconds(0);
    auto sink = OpenSink(path, options);
    sink->PauseWriterForTest();  // let a backlog of several batches build up first
    sink->FailWritesForTest(-1);
    for (int i = 0; i < 9; ++i) sink->Record(SimpleCall("req-" + std::to_string(i)));
  }  // the destructor resumes the writer, which gives every batch up, and returns
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 0);
}

TEST(SqliteLedgerSinkTest, OpenFailsClearlyWhenTheDirectoryCannotBeCreated) {
  TempDir dir;
  std::ofstream(dir.File("a-file")) << "x";
  Result<std::unique_ptr<SqliteLedgerSink>> sink =
      SqliteLedgerSink::Open(dir.File("a-file/sub/ledger.db"));
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.error().message.find("cannot create the ledger directory"), std::string::npos)
      << sink.error().message;
}

TEST(SqliteLedgerSinkTest, OpenRefusesAFileThatIsNotALedger) {
  TempDir dir;
  const std::string path = dir.File("notes.txt");
  std::ofstream(path) << "these are not the pages you are looking for, nor a database header";
  Result<std::unique_ptr<SqliteLedgerSink>> sink = SqliteLedgerSink::Open(path);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.error().message.find(path), std::string::npos) << sink.error().message;
}

TEST(SqliteLedgerSinkTest, OpenRefusesANewerSchema) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  { auto sink = OpenSink(path); }
  {
    Result<SqliteDb> db = SqliteDb::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE schema_version SET version = 99").ok());
  }
  Result<std::unique_ptr<SqliteLedgerSink>> sink = SqliteLedgerSink::Open(path);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.error().message.find("schema version 99"), std::string::npos)
      << sink.error().message;
}

// A late record for `request_id`: a shadow attempt and a judge attempt numbered from `first_n`,
// each of 4 input and 2 output tokens costing `cost` nano-dollars, and a pairwise judgement.
CallRecord LateRecord(const std::string& request_id, int first_n,
                      std::optional<std::int64_t> cost = 7) {
  CallRecord late;
  late.request_id = request_id;
  late.time = At("2026-03-01T10:00:05Z");
  late.late = true;
  for (AttemptKind kind : {AttemptKind::kShadow, AttemptKind::kJudge}) {
    AttemptRecord attempt =
        Attempt(first_n++, "anthropic", "claude-x", Tokens(4, 0, 0, 0, 2, 0), cost);
    attempt.kind = kind;
    late.attempts.push_back(attempt);
  }
  JudgementRecord judgement;
  judgement.route = "trial";
  judgement.epoch = "e1";
  judgement.mode = "pairwise";
  judgement.variant_a = "a";
  judgement.variant_b = "b";
  judgement.served = "b";
  judgement.outcome = "b_wins";
  judgement.a_first = "2";
  judgement.b_first = "1";
  judgement.reason = "B answers the question";
  judgement.cost_nanos = cost ? std::optional<std::int64_t>(2 * *cost) : std::nullopt;
  judgement.time = At("2026-03-01T10:00:04.5Z");
  late.judgement = judgement;
  return late;
}

CallRecord ExperimentCall(const std::string& request_id) {
  CallRecord call = SimpleCall(request_id);
  call.route = "trial";
  call.variant = "b";
  call.epoch = "e1";
  return call;
}

// The call's row after its late record: attempts, cost and estimated flag added.
void ExpectCallWithLateAttempts(const std::string& path, const std::string& request_id) {
  const std::string where = " FROM calls WHERE request_id = '" + request_id + "'";
  EXPECT_EQ(QueryInt(path, "SELECT attempts" + where), 3);
  EXPECT_EQ(QueryInt(path, "SELECT cost_nanos" + where), 15 + 7 + 7);
  EXPECT_EQ(QueryText(path, "SELECT group_concat(n || ':' || kind, ',') FROM (SELECT n, kind "
                            "FROM attempts WHERE request_id = '" + request_id + "' ORDER BY n)"),
            "1:primary,2:shadow,3:judge");
  EXPECT_EQ(QueryText(path, "SELECT variant || ',' || epoch" + where), "b,e1");
}

TEST(SqliteLedgerSinkTest, ALateRecordInTheSameBatchAddsToItsCall) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->PauseWriterForTest();
  sink->Record(ExperimentCall("req-1"));
  sink->RecordLate(LateRecord("req-1", 2));
  sink->ResumeWriterForTest();
  sink->Flush();
  EXPECT_EQ(sink->stats().batches, 1u);
  EXPECT_EQ(sink->stats().committed, 2u);
  ExpectCallWithLateAttempts(path, "req-1");
  EXPECT_EQ(QueryText(path, "SELECT request_id || ',' || time_ms || ',' || route || ',' || epoch "
                            "|| ',' || mode || ',' || variant_a || ',' || variant_b || ',' || "
                            "served || ',' || outcome || ',' || quote(score) || ',' || a_first || "
                            "',' || b_first || ',' || reason || ',' || cost_nanos FROM judgements"),
            "req-1,1772359204500,trial,e1,pairwise,a,b,b,b_wins,NULL,2,1,B answers the question,"
            "14");

  // GET /admin/requests/{id}: the late attempts are the call's, under their own kinds.
  auto reader = LedgerReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Result<CallRow> row = (*reader)->FindRequest("req-1");
  ASSERT_TRUE(row.ok()) << row.error().message;
  ASSERT_EQ(row->attempts.size(), 3u);
  EXPECT_EQ(row->attempts[1].kind, "shadow");
  EXPECT_EQ(row->attempts[2].kind, "judge");
  EXPECT_EQ(row->cost_nanos, 29);
  EXPECT_EQ(row->variant, "b");
  EXPECT_EQ(row->epoch, "e1");
}

TEST(SqliteLedgerSinkTest, ALateRecordInALaterBatchAddsToItsCall) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->Record(ExperimentCall("req-1"));
  sink->Flush();
  CallRecord late = LateRecord("req-1", 2);
  late.attempts[1].usage_estimated = true;
  late.late = false;  // RecordLate marks it
  sink->RecordLate(late);
  sink->Flush();
  EXPECT_EQ(sink->stats().batches, 2u);
  ExpectCallWithLateAttempts(path, "req-1");
  EXPECT_EQ(QueryInt(path, "SELECT estimated FROM calls"), 1);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM judgements"), 1);
}

TEST(SqliteLedgerSinkTest, ALateRecordWithoutItsCallIsSkippedAndTheBatchStillCommits) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->PauseWriterForTest();
  sink->RecordLate(LateRecord("req-never-recorded", 2));
  sink->Record(SimpleCall("req-2"));
  sink->ResumeWriterForTest();
  sink->Flush();
  const SqliteLedgerStats stats = sink->stats();
  EXPECT_EQ(stats.batches, 1u);
  EXPECT_EQ(stats.write_errors, 0u);
  EXPECT_EQ(stats.abandoned, 0u);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 1);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 1);  // req-2's own
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM judgements"), 0);
}

TEST(SqliteLedgerSinkTest, AnUnknownCostOnEitherSideMakesTheCallsCostUnknown) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  CallRecord unpriced_call = ExperimentCall("req-unpriced-call");
  unpriced_call.attempts[0].cost_nanos = std::nullopt;
  sink->Record(unpriced_call);
  sink->Record(ExperimentCall("req-unpriced-late"));
  sink->Record(ExperimentCall("req-priced"));
  sink->Flush();
  sink->RecordLate(LateRecord("req-unpriced-call", 2));
  sink->RecordLate(LateRecord("req-unpriced-late", 2, std::nullopt));
  sink->RecordLate(LateRecord("req-priced", 2));
  sink->Flush();
  auto cost = [&](const std::string& id) {
    return QueryText(path, "SELECT cost_nanos FROM calls WHERE request_id = '" + id + "'");
  };
  EXPECT_EQ(cost("req-unpriced-call"), "NULL");
  EXPECT_EQ(cost("req-unpriced-late"), "NULL");
  EXPECT_EQ(cost("req-priced"), "29");
  EXPECT_EQ(QueryText(path, "SELECT quote(cost_nanos) FROM judgements WHERE request_id = "
                            "'req-unpriced-late'"),
            "NULL");
  EXPECT_EQ(QueryInt(path, "SELECT sum(attempts) FROM calls"), 9);
}

TEST(SqliteLedgerSinkTest, AJudgementsReasonIsCutAtACharacterAndARepeatedOneIsIgnored) {
  QuietLog quiet;
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  auto sink = OpenSink(path);
  sink->Record(ExperimentCall("req-1"));
  CallRecord late = LateRecord("req-1", 2);
  late.judgement->reason.assign(499, 'x');
  late.judgement->reason += "\xc3\xa9 and more";  // é across byte 500
  late.judgement->mode = "score";
  late.judgement->variant_a = "";
  late.judgement->score = 8;
  sink->RecordLate(late);
  CallRecord again = LateRecord("req-1", 4);  // the same request id and variant_b
  again.judgement->outcome = "a_wins";
  sink->RecordLate(again);
  sink->Flush();
  EXPECT_EQ(sink->stats().write_errors, 0u);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM judgements"), 1);
  EXPECT_EQ(QueryText(path, "SELECT outcome || ',' || score || ',' || quote(variant_a) FROM "
                            "judgements"),
            "b_wins,8,''");
  EXPECT_EQ(QueryText(path, "SELECT reason FROM judgements"), std::string(499, 'x'));
  EXPECT_EQ(QueryInt(path, "SELECT attempts FROM calls"), 5);  // the attempts still count
}

}  // namespace
}  // namespace switchyard::ledger

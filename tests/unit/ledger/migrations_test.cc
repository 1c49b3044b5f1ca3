// The ledger's migration steps: one per schema version, in order, in both backends' SQL; a
// version-3 ledger (before the guardrails column) upgraded in place, its rows kept and read back
// with no guardrails, beside new rows that have them; and a version-4 ledger (before experiments)
// upgraded likewise, its calls of no variant or epoch beside new ones of an experiment.
#include "ledger/migrations/migrations.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/postgres/postgres_ledger_reader.h"
#include "ledger/postgres/postgres_ledger_sink.h"
#include "ledger/query/ledger_format.h"
#include "ledger/schema_version.h"
#include "ledger/sqlite/ledger_reader.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/ledger_test_util.h"
#include "unit/ledger/postgres/postgres_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::PostgresTestDatabase;
using testing_util::QueryInt;
using testing_util::SimpleCall;
using testing_util::TempDir;

TEST(LedgerMigrationsTest, OneStepPerVersionInOrder) {
  const std::span<const Migration> steps = LedgerMigrations();
  EXPECT_EQ(kLedgerSchemaVersion, 5);
  ASSERT_EQ(steps.size(), static_cast<std::size_t>(kLedgerSchemaVersion));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(steps[i].what.empty());
    EXPECT_FALSE(steps[i].sqlite.empty());
    EXPECT_FALSE(steps[i].postgres.empty());
  }
  const Migration& guardrails = steps[3];
  EXPECT_NE(
      guardrails.sqlite.find("ALTER TABLE calls ADD COLUMN guardrails TEXT NOT NULL DEFAULT ''"),
      std::string_view::npos);
  EXPECT_NE(guardrails.postgres.find("ALTER TABLE calls ADD COLUMN guardrails text NOT NULL "
                                     "DEFAULT ''"),
            std::string_view::npos);
  const Migration& experiments = steps[4];
  for (std::string_view sql : {experiments.sqlite, experiments.postgres}) {
    EXPECT_NE(sql.find("calls_by_experiment ON calls (route, epoch, time_ms) WHERE epoch <> ''"),
              std::string_view::npos);
    EXPECT_NE(sql.find("PRIMARY KEY (route, epoch)"), std::string_view::npos);
    EXPECT_NE(sql.find("PRIMARY KEY (request_id, variant_b)"), std::string_view::npos);
    EXPECT_EQ(sql.find("DROP"), std::string_view::npos);  // a step only adds
  }
  EXPECT_NE(experiments.sqlite.find("ALTER TABLE calls ADD COLUMN epoch TEXT NOT NULL DEFAULT ''"),
            std::string_view::npos);
  EXPECT_NE(experiments.postgres.find("ALTER TABLE calls ADD COLUMN variant text NOT NULL "
                                      "DEFAULT ''"),
            std::string_view::npos);
}

// Steps 1..`version` of `backend` and the version row: a ledger as that switchyard left it.
std::string OldSchema(bool postgres, int version) {
  std::string sql = postgres ? "CREATE TABLE schema_version (version integer NOT NULL);"
                             : "CREATE TABLE schema_version (version INTEGER NOT NULL);";
  for (const Migration& step : LedgerMigrations()) {
    if (step.version > version) break;
    sql += postgres ? step.postgres : step.sqlite;
  }
  sql += "INSERT INTO schema_version VALUES (" + std::to_string(version) + ");";
  return sql;
}

std::string VersionThreeSchema(bool postgres) { return OldSchema(postgres, 3); }

constexpr std::string_view kOldCallSqlite =
    "INSERT INTO calls (request_id, time, time_ms, key_name, method, path, inbound, "
    "requested_model, route, provider, model, status, stream, latency_ms, attempts, estimated, "
    "cost_nanos, cache) VALUES ('req-old', '2026-01-01T00:00:00.000Z', 1767225600000, 'k', 'POST', "
    "'/v1/chat/completions', 'openai', 'm', '', 'p', 'm', 200, 0, 5, 1, 0, 15, 'miss');"
    "INSERT INTO attempts (request_id, n, kind, provider, model, outcome, http_status, reason, "
    "input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, "
    "reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms) VALUES ('req-old', 1, "
    "'primary', 'p', 'm', 'success', 200, '', 10, 0, 0, 0, 5, 0, 1, 15, 0, 5);";

// The old row, read back after the upgrade: as it was, with no guardrails.
void ExpectOldCall(LedgerStore& store) {
  Result<CallRow> old = store.FindRequest("req-old");
  ASSERT_TRUE(old.ok()) << old.error().message;
  EXPECT_EQ(old->time, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(old->provider, "p");
  EXPECT_EQ(old->cost_nanos, 15);
  EXPECT_EQ(old->cache, "miss");
  EXPECT_EQ(old->guardrails, "");
  ASSERT_EQ(old->attempts.size(), 1u);
  EXPECT_EQ(old->attempts[0].usage.input_tokens, 10);
  EXPECT_EQ(FormatRequestJson(*old).find("guardrails"), std::string::npos);

  Result<CallRow> fresh = store.FindRequest("req-new");
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh->guardrails, "no-secrets:deny,pii-out:redact");
  EXPECT_NE(FormatRequestJson(*fresh).find(R"("guardrails":[{"name":"no-secrets","action":"deny"},)"
                                           R"({"name":"pii-out","action":"redact"}])"),
            std::string::npos);
}

CallRecord GuardedCall() {
  CallRecord call = SimpleCall("req-new");
  call.guardrails = "no-secrets:deny,pii-out:redact";
  return call;
}

TEST(LedgerMigrationsTest, AVersionThreeSqliteLedgerIsUpgradedKeepingItsRows) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    auto db = SqliteDb::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(VersionThreeSchema(false) + std::string(kOldCallSqlite)).ok());
  }
  {
    auto sink = SqliteLedgerSink::Open(path);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    EXPECT_EQ(QueryInt(path, "SELECT version FROM schema_version"), kLedgerSchemaVersion);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM schema_version"), 1);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls WHERE guardrails = ''"), 1);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 1);
    (*sink)->Record(GuardedCall());
    (*sink)->Flush();
  }
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 2);
  auto reader = LedgerReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ExpectOldCall(**reader);
}

TEST(PostgresLedgerMigrationsTest, AVersionThreeLedgerIsUpgradedKeepingItsRows) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  // The same row in PostgreSQL's types (timestamptz, boolean).
  db.Exec(VersionThreeSchema(true) +
          "INSERT INTO calls (request_id, time, time_ms, key_name, method, path, inbound, "
          "requested_model, route, provider, model, status, stream, latency_ms, attempts, "
          "estimated, cost_nanos, cache) VALUES ('req-old', '2026-01-01T00:00:00.000Z', "
          "1767225600000, 'k', 'POST', '/v1/chat/completions', 'openai', 'm', '', 'p', 'm', 200, "
          "false, 5, 1, false, 15, 'miss');"
          "INSERT INTO attempts (request_id, n, kind, provider, model, outcome, http_status, "
          "reason, input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, "
          "output_tokens, reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms) "
          "VALUES ('req-old', 1, 'primary', 'p', 'm', 'success', 200, '', 10, 0, 0, 0, 5, 0, true, "
          "15, false, 5);");
  {
    auto sink = PostgresLedgerSink::Open(db.url());
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    EXPECT_EQ(db.QueryInt("SELECT max(version) FROM schema_version"), kLedgerSchemaVersion);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM schema_version"), 1);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE guardrails = ''"), 1);
    (*sink)->Record(GuardedCall());
    (*sink)->Flush();
  }
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 2);
  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ExpectOldCall(**reader);
}

// The old call after the upgrade to version 5: of no experiment (no variant, no epoch, no field in
// its JSON); the new call beside it of one, and the experiments' tables empty but usable.
void ExpectOldCallOfNoExperiment(LedgerStore& store) {
  Result<CallRow> old = store.FindRequest("req-old");
  ASSERT_TRUE(old.ok()) << old.error().message;
  EXPECT_EQ(old->cost_nanos, 15);
  EXPECT_EQ(old->variant, "");
  EXPECT_EQ(old->epoch, "");
  ASSERT_EQ(old->attempts.size(), 1u);
  const std::string old_json = FormatRequestJson(*old);
  EXPECT_EQ(old_json.find("variant"), std::string::npos) << old_json;
  EXPECT_EQ(old_json.find("epoch"), std::string::npos) << old_json;

  Result<CallRow> fresh = store.FindRequest("req-new");
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh->variant, "b");
  EXPECT_EQ(fresh->epoch, "e1");
  const std::string fresh_json = FormatRequestJson(*fresh);
  EXPECT_NE(fresh_json.find(R"("variant":"b","epoch":"e1")"), std::string::npos) << fresh_json;
}

CallRecord ExperimentCall() {
  CallRecord call = SimpleCall("req-new");
  call.route = "trial";
  call.variant = "b";
  call.epoch = "e1";
  return call;
}

TEST(LedgerMigrationsTest, AVersionFourSqliteLedgerIsUpgradedKeepingItsRows) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    auto db = SqliteDb::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(OldSchema(false, 4) + std::string(kOldCallSqlite)).ok());
  }
  {
    auto sink = SqliteLedgerSink::Open(path);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    EXPECT_EQ(QueryInt(path, "SELECT version FROM schema_version"), 5);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM schema_version"), 1);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls WHERE variant = '' AND epoch = ''"), 1);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM attempts"), 1);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM experiments"), 0);
    EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM judgements"), 0);
    (*sink)->Record(ExperimentCall());
    (*sink)->Flush();
  }
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls"), 2);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM calls WHERE epoch = 'e1' AND variant = 'b'"), 1);
  auto reader = LedgerReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ExpectOldCallOfNoExperiment(**reader);
}

TEST(PostgresLedgerMigrationsTest, AVersionFourLedgerIsUpgradedKeepingItsRows) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  db.Exec(OldSchema(true, 4) +
          "INSERT INTO calls (request_id, time, time_ms, key_name, method, path, inbound, "
          "requested_model, route, provider, model, status, stream, latency_ms, attempts, "
          "estimated, cost_nanos, cache) VALUES ('req-old', '2026-01-01T00:00:00.000Z', "
          "1767225600000, 'k', 'POST', '/v1/chat/completions', 'openai', 'm', '', 'p', 'm', 200, "
          "false, 5, 1, false, 15, 'miss');"
          "INSERT INTO attempts (request_id, n, kind, provider, model, outcome, http_status, "
          "reason, input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, "
          "output_tokens, reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms) "
          "VALUES ('req-old', 1, 'primary', 'p', 'm', 'success', 200, '', 10, 0, 0, 0, 5, 0, true, "
          "15, false, 5);");
  {
    auto sink = PostgresLedgerSink::Open(db.url());
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    EXPECT_EQ(db.QueryInt("SELECT max(version) FROM schema_version"), 5);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM schema_version"), 1);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls WHERE variant = '' AND epoch = ''"), 1);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM experiments"), 0);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM judgements"), 0);
    (*sink)->Record(ExperimentCall());
    (*sink)->Flush();
  }
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM calls"), 2);
  auto reader = PostgresLedgerReader::Open(db.url());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ExpectOldCallOfNoExperiment(**reader);
}

}  // namespace
}  // namespace switchyard::ledger

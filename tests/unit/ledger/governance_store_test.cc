// The governance's rows in the ledger's database, one fixture through both backends: keys written,
// replaced and listed; budgets upserted and deleted; every change in the audit log and moving the
// revision; spend per key, team and UTC day; and a version-1 ledger upgraded in place.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <algorithm>

#include "ledger/ledger_factory.h"
#include "ledger/migrations/migrations.h"
#include "ledger/postgres/postgres_governance_store.h"
#include "ledger/schema_version.h"
#include "ledger/sqlite/sqlite_governance_store.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/ledger_test_util.h"
#include "unit/ledger/postgres/postgres_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::PostgresTestDatabase;
using testing_util::PostgresTestUrl;
using testing_util::TempDir;

AuditEntry Audit(std::string action, std::string target) {
  return {0, 1'000, "test", std::move(action), std::move(target), "", R"({"after":1})"};
}

StoredKey Key(std::string id, std::string hash, std::int64_t updated_ms) {
  return {std::move(id), std::move(hash), "sy-abcdef", R"({"name":"n"})", 1'000, updated_ms,
          std::nullopt};
}

void ExerciseStore(GovernanceStore& store) {
  auto revision = store.Revision();
  ASSERT_TRUE(revision.ok()) << revision.error().message;
  const std::int64_t start = *revision;

  ASSERT_TRUE(store.WriteKey(Key("key_1", "hash1", 1'000), false, Audit("key.create", "key_1")).ok());
  ASSERT_TRUE(store.WriteKey(Key("key_2", "hash2", 1'001), false, Audit("key.create", "key_2")).ok());
  Status duplicate = store.WriteKey(Key("key_3", "hash1", 1'002), false, Audit("key.create", "key_3"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  StoredKey revoked = Key("key_1", "hash1b", 2'000);
  revoked.revoked_ms = 2'000;
  ASSERT_TRUE(store.WriteKey(revoked, true, Audit("key.revoke", "key_1")).ok());
  Status missing = store.WriteKey(Key("key_9", "hash9", 1), true, Audit("key.update", "key_9"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);

  auto keys = store.Keys();
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].id, "key_1");
  EXPECT_EQ((*keys)[0].key_hash, "hash1b");
  EXPECT_EQ((*keys)[0].revoked_ms, 2'000);
  EXPECT_EQ((*keys)[1].revoked_ms, std::nullopt);
  auto policy = boost::json::parse((*keys)[1].policy_json);
  EXPECT_EQ(policy.at("name"), "n");

  ASSERT_TRUE(store.WriteBudget({"team:search", R"({"usd":"5"})", 1, 1}, Audit("budget.put", "team:search")).ok());
  ASSERT_TRUE(store.WriteBudget({"team:search", R"({"usd":"6"})", 2, 2}, Audit("budget.put", "team:search")).ok());
  ASSERT_TRUE(store.WriteBudget({"global", R"({"usd":"9"})", 3, 3}, Audit("budget.put", "global")).ok());
  ASSERT_TRUE(store.WriteBudget({"global", "", 4, 4}, Audit("budget.delete", "global")).ok());
  EXPECT_EQ(store.WriteBudget({"global", "", 5, 5}, Audit("budget.delete", "global")).error().kind,
            ErrorKind::kNotFound);
  auto budgets = store.Budgets();
  ASSERT_TRUE(budgets.ok());
  ASSERT_EQ(budgets->size(), 1u);
  EXPECT_EQ(boost::json::parse((*budgets)[0].policy_json).at("usd"), "6");

  EXPECT_EQ(*store.Revision(), start + 7);  // the seven changes that succeeded, no more
  auto audit = store.Audit(0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 7u);
  EXPECT_EQ((*audit)[0].action, "key.create");
  EXPECT_EQ((*audit)[2].action, "key.revoke");
  EXPECT_EQ(boost::json::parse((*audit)[2].after_json).at("after"), 1);
  EXPECT_TRUE((*audit)[2].before_json.empty());
  auto later = store.Audit((*audit)[4].seq, 100);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 2u);
}

// Two calls of key_1 (team search) on one day, one of them with an unpriced attempt, and one call
// without a key on the next.
std::vector<CallRecord> SpendCalls() {
  using testing_util::At;
  CallRecord a = testing_util::SimpleCall("req-a");
  a.time = At("2026-12-09T10:00:00.000Z");
  a.key_id = "key_1";
  a.team = "search";
  a.attempts[0].cost_nanos = 100;
  CallRecord b = testing_util::SimpleCall("req-b", 2);
  b.time = At("2026-12-09T11:00:00.000Z");
  b.key_id = "key_1";
  b.team = "search";
  b.attempts[0].cost_nanos = 20;
  b.attempts[1].cost_nanos.reset();
  CallRecord c = testing_util::SimpleCall("req-c");
  c.time = At("2026-12-10T01:00:00.000Z");
  c.attempts[0].cost_nanos = 7;
  return {a, b, c};
}

void ExpectSpend(GovernanceStore& store) {
  auto rows = store.SpendByKeyAndDay(0);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  std::sort(rows->begin(), rows->end(), [](const KeyDaySpend& x, const KeyDaySpend& y) {
    return x.day < y.day;
  });
  EXPECT_EQ((*rows)[0].key_id, "key_1");
  EXPECT_EQ((*rows)[0].team, "search");
  EXPECT_EQ((*rows)[0].cost_nanos, 120);
  EXPECT_EQ((*rows)[0].unpriced_attempts, 1);
  EXPECT_EQ((*rows)[1].key_id, "");
  EXPECT_EQ((*rows)[1].cost_nanos, 7);
  EXPECT_EQ((*rows)[1].day, (*rows)[0].day + 1);
}

TEST(SqliteGovernanceStoreTest, KeysBudgetsAuditAndRevision) {
  TempDir dir;
  auto store = SqliteGovernanceStore::Open(dir.File("ledger.db"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  ExerciseStore(**store);
}

TEST(SqliteGovernanceStoreTest, SpendPerKeyTeamAndDay) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    auto sink = SqliteLedgerSink::Open(path, {});
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (const CallRecord& call : SpendCalls()) (*sink)->Record(call);
    (*sink)->Flush();
  }
  auto store = SqliteGovernanceStore::Open(path);
  ASSERT_TRUE(store.ok());
  ExpectSpend(**store);
}

// A ledger written by a version-1 switchyard: its calls stay, the governance's tables and columns
// are added, and the version moves to the current one.
TEST(SqliteGovernanceStoreTest, AVersionOneLedgerIsUpgradedInPlace) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  {
    auto db = SqliteDb::Open(path, false);
    ASSERT_TRUE(db.ok());
    std::string sql = "CREATE TABLE schema_version (version INTEGER NOT NULL);";
    sql += LedgerMigrations()[0].sqlite;
    sql += "INSERT INTO schema_version VALUES (1);";
    sql += "INSERT INTO calls (request_id, time, time_ms, key_name, method, path, inbound, "
           "requested_model, route, provider, model, status, stream, latency_ms, attempts, "
           "estimated) VALUES ('req-old', '2026-01-01T00:00:00.000Z', 1767225600000, 'k', 'POST', "
           "'/v1/chat/completions', 'openai', 'm', '', 'p', 'm', 200, 0, 5, 0, 0);";
    ASSERT_TRUE(db->Exec(sql).ok());
  }
  auto store = SqliteGovernanceStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(testing_util::QueryInt(path, "SELECT version FROM schema_version"), kLedgerSchemaVersion);
  EXPECT_EQ(testing_util::QueryInt(path, "SELECT count(*) FROM schema_version"), 1);
  EXPECT_EQ(testing_util::QueryInt(path, "SELECT count(*) FROM calls WHERE key_id IS NULL"), 1);
  EXPECT_EQ(testing_util::QueryInt(path, "SELECT revision FROM governance_revision"), 0);
  ExerciseStore(**store);
}

TEST(PostgresGovernanceStoreTest, KeysBudgetsAuditAndRevision) {
  if (PostgresTestUrl().empty()) GTEST_SKIP() << "SWITCHYARD_TEST_POSTGRES_URL is not set";
  PostgresTestDatabase db;
  auto store = PostgresGovernanceStore::Open(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  ExerciseStore(**store);
}

TEST(PostgresGovernanceStoreTest, SpendPerKeyTeamAndDay) {
  if (PostgresTestUrl().empty()) GTEST_SKIP() << "SWITCHYARD_TEST_POSTGRES_URL is not set";
  PostgresTestDatabase db;
  config::LedgerConfig config;
  config.backend = "postgres";
  config.url = Secret(db.url());
  {
    auto opened = OpenLedger(config);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    for (const CallRecord& call : SpendCalls()) opened->sink->Record(call);
    opened->sink->Flush();
  }
  auto store = OpenGovernanceStore(config);
  ASSERT_TRUE(store.ok());
  ExpectSpend(**store);
}

TEST(PostgresGovernanceStoreTest, AVersionOneLedgerIsUpgradedInPlace) {
  if (PostgresTestUrl().empty()) GTEST_SKIP() << "SWITCHYARD_TEST_POSTGRES_URL is not set";
  PostgresTestDatabase db;
  db.Exec(std::string("CREATE TABLE schema_version (version integer NOT NULL);") +
          std::string(LedgerMigrations()[0].postgres) + "INSERT INTO schema_version VALUES (1);");
  auto store = PostgresGovernanceStore::Open(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(db.QueryInt("SELECT version FROM schema_version"), kLedgerSchemaVersion);
  ExerciseStore(**store);
}

}  // namespace
}  // namespace switchyard::ledger

// The SQLite ExperimentStore over the experiments fixture (experiment_fixture.h): each epoch's
// state, and the per-variant calls and judgements its results are computed from; opened through
// the factory as the gateway opens it, beside a ledger sink on the same file.
#include "ledger/sqlite/sqlite_experiment_store.h"

#include <gtest/gtest.h>

#include "ledger/ledger_factory.h"
#include "ledger/schema_version.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/experiment_fixture.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::QueryInt;
using testing_util::TempDir;

config::LedgerConfig SqliteConfig(const TempDir& dir) {
  config::LedgerConfig config;
  config.backend = "sqlite";
  config.path = dir.File("ledger.db");
  return config;
}

TEST(SqliteExperimentStoreTest, EpochsAreEnsuredFoundListedAndUpdated) {
  TempDir dir;
  auto store = OpenExperimentStore(SqliteConfig(dir));
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing_util::ExpectExperimentState(**store);
}

TEST(SqliteExperimentStoreTest, CallsByVariantJudgementsAndJudgingSpend) {
  TempDir dir;
  const config::LedgerConfig config = SqliteConfig(dir);
  auto opened = OpenLedger(config);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  testing_util::RecordExperimentFixture(*opened->sink);
  EXPECT_EQ(opened->sink->stats().committed, 13u);
  auto store = OpenExperimentStore(config);
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing_util::ExpectExperimentResults(**store);
}

// The results' reads of one epoch go through the partial index, not a scan of every call.
TEST(SqliteExperimentStoreTest, TheCallsOfAnEpochAreReadThroughItsIndex) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  { ASSERT_TRUE(SqliteLedgerSink::Open(path).ok()); }
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/true);
  ASSERT_TRUE(db.ok());
  Result<SqliteStatement> plan = db->Prepare(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM calls WHERE route = 'trial' AND epoch = 'e1' AND "
      "epoch <> ''");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::string details;
  std::string error;
  while (plan->Step(&error)) details += plan->Text(3) + "\n";
  EXPECT_NE(details.find("calls_by_experiment"), std::string::npos) << details;
}

TEST(SqliteExperimentStoreTest, OpeningCreatesTheLedger) {
  TempDir dir;
  const std::string path = dir.File("ledger.db");
  ASSERT_TRUE(SqliteExperimentStore::Open(path).ok());
  EXPECT_EQ(QueryInt(path, "SELECT version FROM schema_version"), kLedgerSchemaVersion);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM experiments"), 0);
}

}  // namespace
}  // namespace switchyard::ledger

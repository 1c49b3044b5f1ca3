// The PostgreSQL ExperimentStore against a real server (scripts/with-postgres.sh; skipped without
// one), over the same fixture and figures as the SQLite store's tests (experiment_fixture.h), and
// Ensure from several gateways at once.
#include "ledger/postgres/postgres_experiment_store.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "ledger/ledger_factory.h"
#include "ledger/schema_version.h"
#include "unit/ledger/experiment_fixture.h"
#include "unit/ledger/postgres/postgres_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::PostgresTestDatabase;

config::LedgerConfig PostgresConfig(const PostgresTestDatabase& db) {
  config::LedgerConfig config;
  config.backend = "postgres";
  config.url = Secret(db.url());
  return config;
}

TEST(PostgresExperimentStoreTest, EpochsAreEnsuredFoundListedAndUpdated) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  auto store = OpenExperimentStore(PostgresConfig(db));
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing_util::ExpectExperimentState(**store);
}

TEST(PostgresExperimentStoreTest, CallsByVariantJudgementsAndJudgingSpend) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  const config::LedgerConfig config = PostgresConfig(db);
  auto opened = OpenLedger(config);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  testing_util::RecordExperimentFixture(*opened->sink);
  EXPECT_EQ(opened->sink->stats().committed, 13u);
  auto store = OpenExperimentStore(config);
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing_util::ExpectExperimentResults(**store);
}

// Gateways starting together each ensure the epoch with their own times: one row, and every one
// reads back the same (the first insert's).
TEST(PostgresExperimentStoreTest, GatewaysEnsuringOneEpochAtOnceAllReadTheSameRow) {
  SKIP_WITHOUT_POSTGRES();
  PostgresTestDatabase db;
  constexpr int kGateways = 4;
  std::vector<std::unique_ptr<PostgresExperimentStore>> stores;
  for (int i = 0; i < kGateways; ++i) {
    auto store = PostgresExperimentStore::Open(db.url());
    ASSERT_TRUE(store.ok()) << store.error().message;
    stores.push_back(std::move(*store));
  }
  std::vector<Result<StoredExperiment>> ensured(kGateways, Error::Unavailable("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kGateways; ++i) {
    threads.emplace_back(
        [&, i] { ensured[i] = stores[i]->Ensure(testing_util::Epoch("trial", "e1", 1'000 + i)); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM experiments"), 1);
  const std::int64_t stored = db.QueryInt("SELECT started_ms FROM experiments");
  for (const Result<StoredExperiment>& result : ensured) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->started_ms, stored);
  }
}

TEST(PostgresExperimentStoreTest, ErrorsNameTheHostAndDatabaseButNeverTheUrl) {
  const std::string url = "postgresql://switchyard:hunter2-secret@127.0.0.1:1/ledgerdb";
  auto store = PostgresExperimentStore::Open(url);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message.find("hunter2-secret"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("127.0.0.1:1/ledgerdb"), std::string::npos)
      << store.error().message;
}

}  // namespace
}  // namespace switchyard::ledger

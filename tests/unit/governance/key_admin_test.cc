// Virtual keys end to end below the HTTP layer: KeyAdmin writes the SQLite ledger, the registry
// reads it back, the governor authenticates against it.
#include "governance/key_admin.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "governance/governor.h"
#include "governance/key_registry.h"
#include "governance/key_secret.h"
#include "governance/memory_counter_store.h"
#include "ledger/sqlite/sqlite_governance_store.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::governance {
namespace {

namespace json = boost::json;

json::object Fields(std::string_view text) { return json::parse(text).as_object(); }

class KeyAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ledger::SqliteGovernanceStore::Open(dir_.File("ledger.db"));
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
    registry_ = std::make_unique<KeyRegistry>(config_, store_.get());
    governor_ = std::make_unique<Governor>(config_, *registry_, counters_);
  }

  Result<std::string> NameOf(std::string_view secret) {
    auto key = governor_->Authenticate(secret);
    if (!key) return key.error();
    return (*key)->name;
  }

  ledger::testing_util::TempDir dir_;
  config::Config config_;
  std::unique_ptr<ledger::SqliteGovernanceStore> store_;
  std::unique_ptr<KeyRegistry> registry_;
  MemoryCounterStore counters_;
  std::unique_ptr<Governor> governor_;
};

TEST_F(KeyAdminTest, ACreatedKeyWorksAndIsStoredOnlyAsItsHash) {
  KeyAdmin admin(*store_, "test");
  auto created = admin.Create(Fields(R"({"name":"app","team":"search","budget":{"usd":5}})"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->secret.starts_with("sy-"));
  EXPECT_EQ(created->secret.size(), 46u);
  EXPECT_EQ(created->record.prefix, created->secret.substr(0, 9));
  auto stored = store_->Keys();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].key_hash, HashKey(created->secret));
  EXPECT_EQ((*stored)[0].policy_json.find(created->secret), std::string::npos);

  EXPECT_EQ(NameOf(created->secret).value(), "anonymous");  // no key read yet: calls are anonymous
  ASSERT_TRUE(registry_->Reload().ok());
  auto name = NameOf(created->secret);
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "app");
  EXPECT_FALSE(NameOf("").ok());  // a key exists now: a call without one is refused
}

TEST_F(KeyAdminTest, RotateStopsTheOldSecretAndRevokeStopsTheKey) {
  KeyAdmin admin(*store_, "test");
  auto created = admin.Create(Fields(R"({"name":"app"})"));
  ASSERT_TRUE(created.ok());
  auto rotated = admin.Rotate(created->record.id);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(rotated->secret, created->secret);
  EXPECT_EQ(rotated->record.id, created->record.id);
  ASSERT_TRUE(registry_->Reload().ok());
  EXPECT_FALSE(NameOf(created->secret).ok());
  EXPECT_TRUE(NameOf(rotated->secret).ok());

  auto revoked = admin.Revoke(created->record.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->revoked());
  ASSERT_TRUE(registry_->Reload().ok());
  auto refused = NameOf(rotated->secret);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().http_status, 401);
  EXPECT_NE(refused.error().message.find("revoked"), std::string::npos);
  EXPECT_EQ(admin.Rotate(created->record.id).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(admin.Update(created->record.id, Fields(R"({"team":"x"})")).error().kind,
            ErrorKind::kConflict);
}

TEST_F(KeyAdminTest, UpdatesAndTheAuditLogNeverHoldASecret) {
  KeyAdmin admin(*store_, "test");
  auto created = admin.Create(Fields(R"({"name":"app"})"));
  ASSERT_TRUE(created.ok());
  auto updated = admin.Update(created->record.id, Fields(R"({"team":"search","models":["openai/*"]})"));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->policy.team, "search");
  EXPECT_EQ(updated->name, "app");
  EXPECT_GT(updated->updated_ms, created->record.updated_ms - 1);
  EXPECT_EQ(admin.Update("key_nope", Fields("{}")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(admin.Update(created->record.id, Fields(R"({"colour":1})")).error().http_status, 400);
  (void)admin.Rotate(created->record.id);
  auto audit = store_->Audit(0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0].action, "key.create");
  EXPECT_EQ((*audit)[1].action, "key.update");
  EXPECT_EQ((*audit)[2].action, "key.rotate");
  EXPECT_EQ((*audit)[1].actor, "test");
  EXPECT_EQ(json::parse((*audit)[1].before_json).at("team"), "");
  EXPECT_EQ(json::parse((*audit)[1].after_json).at("team"), "search");
  for (const ledger::AuditEntry& entry : *audit) {
    EXPECT_EQ(entry.after_json.find(created->secret), std::string::npos);
    EXPECT_EQ(entry.after_json.find("\"key\":"), std::string::npos) << entry.after_json;
  }
}

TEST_F(KeyAdminTest, BudgetsAboveKeysComeFromTheConfigAndTheDatabase) {
  config_.governance.budgets = {{"global", {100, config::BudgetPeriod::kDay, true}},
                                {"team:a", {200, config::BudgetPeriod::kDay, true}}};
  registry_ = std::make_unique<KeyRegistry>(config_, store_.get());
  KeyAdmin admin(*store_, "test");
  ASSERT_TRUE(admin.PutBudget(Fields(R"({"scope":"team:a","usd":"0.5","period":"week"})")).ok());
  ASSERT_TRUE(registry_->Reload().ok());
  auto snapshot = registry_->snapshot();
  ASSERT_EQ(snapshot->budgets.size(), 2u);
  EXPECT_EQ(snapshot->budgets[0].scope, "global");
  EXPECT_EQ(snapshot->budgets[1].scope, "team:a");
  EXPECT_EQ(snapshot->budgets[1].limit.nanos, 500'000'000);  // the admin API's wins
  EXPECT_EQ(snapshot->admin_budgets.count("team:a"), 1u);
  ASSERT_TRUE(admin.DeleteBudget("team:a").ok());
  EXPECT_EQ(admin.DeleteBudget("team:a").error().kind, ErrorKind::kNotFound);
}

TEST_F(KeyAdminTest, TheRefreshThreadSeesAChangeMadeElsewhere) {
  config_.governance.refresh = std::chrono::milliseconds(10);
  registry_ = std::make_unique<KeyRegistry>(config_, store_.get());
  governor_ = std::make_unique<Governor>(config_, *registry_, counters_);
  ASSERT_TRUE(registry_->Reload().ok());
  registry_->StartRefreshing();
  // Another process's store on the same file, as `switchyard keys` would write.
  auto other = ledger::SqliteGovernanceStore::Open(dir_.File("ledger.db"));
  ASSERT_TRUE(other.ok());
  auto created = KeyAdmin(**other, "cli").Create(Fields(R"({"name":"elsewhere"})"));
  ASSERT_TRUE(created.ok());
  // Only the outcome is asserted; the bound is a safety net for a broken build.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!NameOf(created->secret).ok() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(NameOf(created->secret).ok());
  registry_->Stop();
}

}  // namespace
}  // namespace switchyard::governance

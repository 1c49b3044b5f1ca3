// ExperimentRegistry (issue 17): the live state of each ab route — loaded from and written to the
// ledger's experiment store (a real SQLite one), shared by two registries as by two gateways;
// pause, resume, stop; promotion; the daily judging cap. The wall clock is injected.
#include "gateway/experiment_registry.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "ledger/sqlite/sqlite_experiment_store.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::gateway {
namespace {

using ledger::testing_util::At;
using ledger::testing_util::TempDir;

config::Config TrialConfig(std::string_view extra_judge = "") {
  config::LoadResult loaded = config::LoadConfigText(
      std::string("providers: { openai: {}, groq: {} }\n"
                  "routes:\n"
                  "  trial:\n"
                  "    strategy: ab\n"
                  "    variants: [ { name: a, target: openai/a, share: 70 },\n"
                  "                { name: b, target: groq/b, share: 30 } ]\n"
                  "    judge: { model: openai/j, sample: 0.5") +
          std::string(extra_judge) +
          " }\n"
          "    promote: { enabled: true, keep_sample: 0.1 }\n"
          "  plain: { targets: [ openai/a ] }\n",
      "test.yaml", [](std::string_view) { return std::nullopt; });
  EXPECT_TRUE(loaded.config);
  return std::move(*loaded.config);
}

class ExperimentRegistryTest : public ::testing::Test {
 protected:
  ExperimentRegistryTest() {
    auto store = ledger::SqliteExperimentStore::Open(dir_.File("ledger.db"));
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    store_ = std::move(store).value();
  }

  ExperimentRegistry::WallClock Clock() {
    return [this] { return now_; };
  }

  TempDir dir_;
  std::unique_ptr<ledger::SqliteExperimentStore> store_;
  std::chrono::system_clock::time_point now_ = At("2026-12-08T10:00:00Z");
};

TEST_F(ExperimentRegistryTest, StartsAsConfiguredAndKnowsOnlyAbRoutes) {
  const config::Config config = TrialConfig();
  ExperimentRegistry registry(config, store_.get(), Clock());
  ASSERT_TRUE(registry.Load().ok());
  auto trial = registry.Find("trial");
  ASSERT_TRUE(trial);
  EXPECT_EQ(trial->status, "running");
  EXPECT_EQ(trial->shares, (std::vector<double>{70, 30}));
  EXPECT_DOUBLE_EQ(trial->sample, 0.5);
  EXPECT_TRUE(trial->judging());
  EXPECT_EQ(trial->epoch, config.routes[0].experiment->epoch);
  EXPECT_FALSE(registry.Find("plain"));
  EXPECT_FALSE(registry.Find("nothing"));
  EXPECT_EQ(registry.All().size(), 1u);
  auto stored = store_->Find("trial", trial->epoch);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->status, "running");
}

TEST_F(ExperimentRegistryTest, PauseResumeAndStopAreSharedThroughTheStore) {
  const config::Config config = TrialConfig();
  ExperimentRegistry first(config, store_.get(), Clock());
  ExperimentRegistry second(config, store_.get(), Clock());  // another gateway
  ASSERT_TRUE(first.Load().ok());
  ASSERT_TRUE(second.Load().ok());

  auto paused = first.Change("trial", "pause");
  ASSERT_TRUE(paused);
  EXPECT_EQ((*paused)->status, "paused");
  EXPECT_FALSE((*paused)->judging());
  EXPECT_EQ((*paused)->shares, (std::vector<double>{70, 30}));  // the split is kept
  ASSERT_TRUE(second.Load().ok());                              // what its refresh does
  EXPECT_EQ(second.Find("trial")->status, "paused");

  auto stopped = first.Change("trial", "stop");
  ASSERT_TRUE(stopped);
  EXPECT_EQ((*stopped)->shares, (std::vector<double>{1, 0}));  // everything to the control
  auto resumed = first.Change("trial", "resume");
  ASSERT_TRUE(resumed);
  EXPECT_EQ((*resumed)->status, "running");
  EXPECT_EQ((*resumed)->shares, (std::vector<double>{70, 30}));

  EXPECT_EQ(first.Change("trial", "explode").error().kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(first.Change("plain", "pause").error().kind, ErrorKind::kNotFound);
}

TEST_F(ExperimentRegistryTest, APromotionShiftsTheSharesAndSurvivesARestart) {
  const config::Config config = TrialConfig();
  {
    ExperimentRegistry registry(config, store_.get(), Clock());
    ASSERT_TRUE(registry.Load().ok());
    auto promoted = registry.Promote("trial", "b", R"({"to":"b","verdict":"b is better"})");
    ASSERT_TRUE(promoted);
    EXPECT_EQ((*promoted)->shares, (std::vector<double>{0, 1}));
    EXPECT_EQ((*promoted)->promoted_to, "b");
    EXPECT_DOUBLE_EQ((*promoted)->sample, 0.1);  // keep_sample
  }
  ExperimentRegistry restarted(config, store_.get(), Clock());
  ASSERT_TRUE(restarted.Load().ok());
  auto trial = restarted.Find("trial");
  EXPECT_EQ(trial->promoted_to, "b");
  EXPECT_EQ(trial->shares, (std::vector<double>{0, 1}));
  // A stop after a promotion sends everything to the promoted variant.
  auto stopped = restarted.Change("trial", "stop");
  ASSERT_TRUE(stopped);
  EXPECT_EQ((*stopped)->shares, (std::vector<double>{0, 1}));
}

TEST_F(ExperimentRegistryTest, ANewEpochStartsFresh) {
  const config::Config before = TrialConfig();
  {
    ExperimentRegistry registry(before, store_.get(), Clock());
    ASSERT_TRUE(registry.Load().ok());
    ASSERT_TRUE(registry.Change("trial", "stop"));
  }
  config::Config after = TrialConfig();
  after.routes[0].experiment->epoch = "e-changed";  // as a change to the variants makes it
  ExperimentRegistry registry(after, store_.get(), Clock());
  ASSERT_TRUE(registry.Load().ok());
  EXPECT_EQ(registry.Find("trial")->status, "running");
  auto epochs = store_->Experiments("trial");
  ASSERT_TRUE(epochs);
  EXPECT_EQ(epochs->size(), 2u);  // the earlier one stays readable
}

TEST_F(ExperimentRegistryTest, TheDailyCapStopsJudgingUntilTheNextUtcDay) {
  const config::Config config = TrialConfig(", max_usd: 0.001");  // 1,000,000 nano-dollars
  ExperimentRegistry registry(config, store_.get(), Clock());
  ASSERT_TRUE(registry.Load().ok());
  ASSERT_TRUE(registry.BeginJudging("trial"));
  registry.FinishJudging("trial", 600'000);
  ASSERT_TRUE(registry.BeginJudging("trial"));
  registry.FinishJudging("trial", 600'000);  // 1,200,000 spent: over the cap
  EXPECT_FALSE(registry.BeginJudging("trial"));
  EXPECT_EQ(registry.judgements_skipped("trial"), 1);
  EXPECT_EQ(registry.spent_today_nanos("trial"), 1'200'000);
  now_ = At("2026-12-09T00:00:01Z");
  EXPECT_TRUE(registry.BeginJudging("trial"));
  registry.FinishJudging("trial", std::nullopt);
}

TEST_F(ExperimentRegistryTest, InFlightJudgementsAreBounded) {
  const config::Config config = TrialConfig();
  ExperimentRegistry registry(config, store_.get(), Clock());
  ASSERT_TRUE(registry.Load().ok());
  for (int i = 0; i < ExperimentRegistry::kMaxJudgingInFlight; ++i) {
    ASSERT_TRUE(registry.BeginJudging("trial"));
  }
  EXPECT_FALSE(registry.BeginJudging("trial"));
  registry.FinishJudging("trial", 0);
  EXPECT_TRUE(registry.BeginJudging("trial"));
  EXPECT_FALSE(registry.BeginJudging("plain"));  // not an experiment
}

TEST_F(ExperimentRegistryTest, WithoutAStoreTheStateIsKeptInMemory) {
  const config::Config config = TrialConfig();
  ExperimentRegistry registry(config, nullptr, Clock());
  ASSERT_TRUE(registry.Load().ok());
  auto paused = registry.Change("trial", "pause");
  ASSERT_TRUE(paused);
  EXPECT_EQ(registry.Find("trial")->status, "paused");
}

}  // namespace
}  // namespace switchyard::gateway

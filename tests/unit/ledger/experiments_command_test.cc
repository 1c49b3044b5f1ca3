// `switchyard experiments` end to end over a real SQLite ledger holding the experiments fixture
// (experiment_fixture.h): options → config → store → report, and the exit codes of CONTRACT.md
// (0 ok, 2 bad usage, config or an unknown route, 1 runtime failure).
#include "cli/experiments_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "ledger/ledger_factory.h"
#include "unit/ledger/experiment_fixture.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::cli {
namespace {

using ledger::testing_util::TempDir;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunExperiments(const ExperimentsOptions& options) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = Experiments(options);
  Outcome run{code, ::testing::internal::GetCapturedStdout(),
              ::testing::internal::GetCapturedStderr()};
  return run;
}

class ExperimentsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::LedgerConfig ledger;
    ledger.path = dir_.File("ledger.db");
    auto opened = ledger::OpenLedger(ledger);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    ledger::testing_util::RecordExperimentFixture(*opened->sink);
    auto store = ledger::OpenExperimentStore(ledger);
    ASSERT_TRUE(store.ok()) << store.error().message;
    // Epoch e1 of "trial" (2026-05-01T12:00:00Z), variants a and b.
    ledger::StoredExperiment epoch = {"trial",
                                      "e1",
                                      R"([{"name":"a","target":"openai/gpt-4o","share":1},)"
                                      R"({"name":"b","target":"openai/gpt-4o-mini","share":1}])",
                                      "running",
                                      "{}",
                                      "",
                                      1'777'636'800'000,
                                      1'777'636'800'000};
    ASSERT_TRUE((*store)->Ensure(epoch).ok());
    config_path_ = dir_.File("switchyard.yaml");
    std::ofstream(config_path_) << "ledger: { backend: sqlite, path: " << ledger.path << " }\n";
  }

  ExperimentsOptions Options(std::string action, std::string name = "") const {
    ExperimentsOptions options;
    options.action = std::move(action);
    options.name = std::move(name);
    options.config_path = config_path_;
    return options;
  }

  TempDir dir_;
  std::string config_path_;
};

TEST_F(ExperimentsCommandTest, ListsEveryStoredEpoch) {
  const Outcome run = RunExperiments(Options("list"));
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "ROUTE  EPOCH  STATUS   STARTED                   VERDICT\n"
            "trial  e1     running  2026-05-01T12:00:00.000Z  Not enough evidence yet, n = 6, "
            "judged 2\n");
  EXPECT_EQ(run.err, "");
}

TEST_F(ExperimentsCommandTest, ShowsTheVariantsPairsAndVerdict) {
  const Outcome run = RunExperiments(Options("show", "trial"));
  EXPECT_EQ(run.code, 0) << run.err;
  // a: 4 calls (1 error; one unpriced, so no cost per call), latencies 100 and 300; b: 2 calls at
  // 40 nano-dollars in all. One judgement each way: 1 win of 2 for both.
  EXPECT_NE(run.out.find("experiment trial  epoch e1  running  started 2026-05-01T12:00:00.000Z\n"
                         "judge none\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("a        openai/gpt-4o           1      4       2     1       1     0"
                         "     50.0%"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("-          -     100     300   25.0%\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("$0.000000     200     200   50.0%\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nverdict: Not enough evidence yet, n = 6, judged 2\n"),
            std::string::npos)
      << run.out;
}

TEST_F(ExperimentsCommandTest, ShowsJson) {
  ExperimentsOptions options = Options("show", "trial");
  options.format = "json";
  const Outcome run = RunExperiments(options);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind(R"({"route":"trial","epoch":"e1","status":"running",)", 0), 0u)
      << run.out;
  EXPECT_NE(run.out.find(R"("cost_per_call_usd":0.00000002,)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(R"("b_wins":1,"a_wins":1,"ties":0,"b_win_rate":0.5,)"), std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.back(), '\n');
}

TEST_F(ExperimentsCommandTest, UnknownRouteOrEpochExitsTwo) {
  Outcome run = RunExperiments(Options("show", "nope"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "the ledger has no experiment 'nope'\n");
  ExperimentsOptions options = Options("show", "trial");
  options.epoch = "e7";
  run = RunExperiments(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "the experiment trial has no epoch 'e7'\n");
}

TEST_F(ExperimentsCommandTest, BadUsageAndConfigExitTwo) {
  ExperimentsOptions options = Options("list");
  options.format = "csv";
  Outcome run = RunExperiments(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "--format 'csv' is not one of table, json\n");
  EXPECT_EQ(RunExperiments(Options("show")).code, 2);
  options = Options("list");
  options.epoch = "e1";
  EXPECT_EQ(RunExperiments(options).code, 2);
  options = Options("list");
  options.config_path = dir_.File("missing.yaml");
  run = RunExperiments(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("missing.yaml"), std::string::npos) << run.err;
}

TEST_F(ExperimentsCommandTest, AnUnopenableDatabaseExitsOne) {
  const std::string path = dir_.File("bad.yaml");
  // A directory where the database file should be.
  std::ofstream(path) << "ledger: { backend: sqlite, path: " << dir_.path().string() << " }\n";
  ExperimentsOptions options = Options("list");
  options.config_path = path;
  const Outcome run = RunExperiments(options);
  EXPECT_EQ(run.code, 1);
  EXPECT_FALSE(run.err.empty());
}

}  // namespace
}  // namespace switchyard::cli

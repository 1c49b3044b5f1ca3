// `switchyard spend` end to end over a real ledger file: options → config → reader → output, and
// the exit codes of CONTRACT.md (0 ok, 2 bad usage or config, 1 runtime failure).
#include "cli/spend_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::cli {
namespace {

using ledger::testing_util::At;
using ledger::testing_util::SimpleCall;
using ledger::testing_util::TempDir;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunSpend(const SpendOptions& options) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = Spend(options);
  Outcome run{code, ::testing::internal::GetCapturedStdout(),
          ::testing::internal::GetCapturedStderr()};
  return run;
}

class SpendCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_path_ = dir_.File("data/ledger.db");
    auto sink = ledger::SqliteLedgerSink::Open(ledger_path_);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    ledger::CallRecord first = SimpleCall("req-1", 2);  // 2 × 15 nano-dollars
    ledger::CallRecord second = SimpleCall("req-2", 1);
    second.key_name = "team-b";
    second.time = At("2026-03-02T08:00:00Z");
    (*sink)->Record(first);
    (*sink)->Record(second);
    // The sink is destroyed here, which flushes.
    config_path_ = WriteConfig("ledger: { backend: sqlite, path: " + ledger_path_ + " }\n");
  }

  std::string WriteConfig(const std::string& yaml) {
    const std::string path = dir_.File("switchyard-" + std::to_string(configs_++) + ".yaml");
    std::ofstream(path) << yaml;
    return path;
  }

  TempDir dir_;
  std::string ledger_path_;
  std::string config_path_;
  int configs_ = 0;
};

TEST_F(SpendCommandTest, PrintsSpendPerKeyAsCsv) {
  SpendOptions options;
  options.config_path = config_path_;
  options.group_by = "key";
  options.format = "csv";
  const Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "group,calls,attempts,input_tokens,cached_input_tokens,cache_write_tokens,"
            "cache_write_1h_tokens,output_tokens,reasoning_tokens,cost_usd,unpriced_attempts\n"
            "team-a,1,2,20,0,0,0,10,0,0.00000003,0\n"
            "team-b,1,1,10,0,0,0,5,0,0.000000015,0\n");
  EXPECT_EQ(run.err, "");
}

TEST_F(SpendCommandTest, FiltersByTimeAndPrintsJson) {
  SpendOptions options;
  options.config_path = config_path_;
  options.since = "2026-03-02";
  options.group_by = "day";
  options.format = "json";
  const Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find(R"("rows":[{"group":"2026-03-02","calls":1,"attempts":1,)"),
            std::string::npos) << run.out;
  EXPECT_NE(run.out.find(R"("cost_usd":0.000000015)"), std::string::npos) << run.out;
}

TEST_F(SpendCommandTest, PrintsTheReconciliationReport) {
  SpendOptions options;
  options.config_path = config_path_;
  options.report = "reconcile";
  const Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("2026-03-01  openai    gpt-4o-mini"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2026-03-02  openai    gpt-4o-mini"), std::string::npos) << run.out;
}

TEST_F(SpendCommandTest, BadUsageExitsTwo) {
  SpendOptions options;
  options.config_path = config_path_;
  options.group_by = "colour";
  Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "group_by 'colour' is not one of key, model, provider, route, day, "
                     "tag:NAME\n");

  options.group_by.clear();
  options.format = "xml";
  EXPECT_EQ(RunSpend(options).code, 2);

  options.format.clear();
  options.report = "invoice";
  EXPECT_EQ(RunSpend(options).code, 2);

  options.report = "reconcile";
  options.group_by = "key";
  EXPECT_EQ(RunSpend(options).code, 2);

  options = {};
  options.config_path = config_path_;
  options.since = "soon";
  EXPECT_EQ(RunSpend(options).code, 2);
}

TEST_F(SpendCommandTest, ABadConfigExitsTwo) {
  SpendOptions options;
  options.config_path = dir_.File("missing.yaml");
  Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("missing.yaml"), std::string::npos) << run.err;
}

TEST_F(SpendCommandTest, AnUnreachablePostgresLedgerExitsOneWithoutQuotingTheUrl) {
  SpendOptions options;
  // Nothing listens on port 1: the connection is refused at once.
  options.config_path = WriteConfig(
      "ledger: { backend: postgres, url: 'postgresql://sy:sekrit-pw@127.0.0.1:1/ledger' }\n");
  const Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("PostgreSQL ledger at 127.0.0.1:1/ledger"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("sekrit-pw"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(SpendCommandTest, AMissingLedgerExitsOneWithOneSentence) {
  SpendOptions options;
  options.config_path =
      WriteConfig("ledger: { backend: sqlite, path: " + dir_.File("none/ledger.db") + " }\n");
  const Outcome run = RunSpend(options);
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "there is no ledger at " + dir_.File("none/ledger.db") +
                         ": the gateway creates it when it first starts with this ledger path\n");
  EXPECT_EQ(run.out, "");
}

TEST_F(SpendCommandTest, WithoutAConfigReadsTheDefaultLedger) {
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());  // holds data/, not switchyard-data/
  const Outcome run = RunSpend(SpendOptions{});
  std::filesystem::current_path(previous);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("./switchyard-data/ledger.db"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace switchyard::cli

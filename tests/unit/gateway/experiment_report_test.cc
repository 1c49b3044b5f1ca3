// The experiment report (GET /admin/experiments/{route}, `switchyard experiments show`) from fixed
// inputs: a live experiment over an in-memory ExperimentStore whose rows are written out below, so
// every number in the expected JSON can be checked by hand.
#include "gateway/experiment_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace switchyard::gateway {
namespace {

using ledger::StoredExperiment;
using ledger::StoredJudgement;
using ledger::VariantCalls;

// An ExperimentStore in memory: rows per (route, epoch), and the bounds it was asked for.
class FakeExperimentStore : public ledger::ExperimentStore {
 public:
  std::vector<StoredExperiment> experiments;  // newest first, as the interface returns them
  std::map<std::string, std::vector<VariantCalls>> calls;          // by epoch
  std::map<std::string, std::vector<StoredJudgement>> judgements;  // by epoch
  std::optional<Error> fail;
  int asked_latencies = 0;
  int asked_judgements = 0;

  Result<StoredExperiment> Ensure(const StoredExperiment& configured) override {
    return configured;
  }
  Result<std::optional<StoredExperiment>> Find(std::string_view route,
                                               std::string_view epoch) override {
    for (const StoredExperiment& stored : experiments) {
      if (stored.route == route && stored.epoch == epoch) return std::optional(stored);
    }
    return std::optional<StoredExperiment>();
  }
  Result<std::vector<StoredExperiment>> Experiments(std::string_view route) override {
    if (fail) return *fail;
    std::vector<StoredExperiment> found;
    for (const StoredExperiment& stored : experiments) {
      if (route.empty() || stored.route == route) found.push_back(stored);
    }
    return found;
  }
  Status Update(const StoredExperiment&) override { return Status(); }
  Result<std::vector<VariantCalls>> CallsByVariant(std::string_view, std::string_view epoch,
                                                   int max_latencies) override {
    asked_latencies = max_latencies;
    if (fail) return *fail;
    return calls[std::string(epoch)];
  }
  Result<std::vector<StoredJudgement>> Judgements(std::string_view, std::string_view epoch,
                                                  int limit) override {
    asked_judgements = limit;
    return judgements[std::string(epoch)];
  }
  Result<std::int64_t> JudgingSpendSince(std::string_view, std::int64_t) override { return 0; }
};

constexpr std::int64_t kJan2026 = 1'767'225'600'000;  // 2026-01-01T00:00:00.000Z
constexpr std::int64_t kDec2025 = 1'764'547'200'000;  // 2025-12-01T00:00:00.000Z

StoredJudgement Judgement(std::string b, std::string outcome) {
  StoredJudgement judgement;
  judgement.mode = "pairwise";
  judgement.variant_a = "A";
  judgement.variant_b = std::move(b);
  judgement.outcome = std::move(outcome);
  return judgement;
}

class ExperimentReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    route_.name = "chat";
    route_.strategy = "ab";
    config::ExperimentConfig experiment;
    experiment.variants = {{"A", "openai/gpt-4o", 1, 0}, {"B", "openai/gpt-4o-mini", 1, 0}};
    config::ExperimentJudge judge;
    judge.model = "judge/m";
    judge.max_nanos_per_day = 2'000'000'000;  // $2
    experiment.judge = judge;
    experiment.epoch = "e2";
    route_.experiment = experiment;

    live_.route = &route_;
    live_.epoch = "e2";
    live_.shares = {1, 1};
    live_.sample = 0.1;
    live_.started_ms = kJan2026;

    store_.experiments = {
        {"chat", "e2", "[]", "running", "{}", "", kJan2026, kJan2026},
        {"chat", "e1",
         R"([{"name":"A","target":"openai/gpt-4o","share":1},)"
         R"({"name":"C","target":"groq/llama","share":3}])",
         "stopped", R"({"A":0,"C":1})", R"({"to":"C","n":40})", kDec2025, kDec2025}};
    // A: 10 calls, 1 error, $0.02, latencies 100..1000 ms; B: 8 calls, one unpriced.
    VariantCalls a{"A", 10, 1, 20'000'000, 0, {}};
    for (int ms = 1000; ms >= 100; ms -= 100) a.latencies_ms.push_back(ms);
    store_.calls["e2"] = {a, {"B", 8, 0, 8'000'000, 1, {90, 50, 70}}};
    for (const char* outcome :
         {"b_wins", "tie", "invalid", "b_wins", "a_wins", "invalid", "tie", "b_wins"}) {
      store_.judgements["e2"].push_back(Judgement("B", outcome));
    }
    store_.calls["e1"] = {{"C", 4, 0, 4'000, 0, {10}}};
    store_.judgements["e1"] = {Judgement("C", "b_wins")};
  }

  config::RouteConfig route_;
  LiveExperiment live_;
  FakeExperimentStore store_;
};

TEST_F(ExperimentReportTest, CurrentEpochAsJson) {
  auto report = ReportFor(live_, &store_, "");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(store_.asked_latencies, 10'000);
  EXPECT_EQ(store_.asked_judgements, 200'000);
  // A: won 1, lost 3, tied 2 of 6 → 2/6, Wilson [0.0968, 0.7000]; B: 4/6, [0.3000, 0.9032].
  // A's cost per call $0.02 / 10; B's unknown (one call unpriced). p50/p95 by nearest rank.
  EXPECT_EQ(ReportText(ReportJson(*report)),
            R"({"route":"chat","epoch":"e2","status":"running","shares":{"A":1,"B":1},)"
            R"("promotion":null,"started":"2026-01-01T00:00:00.000Z",)"
            R"("judge":{"model":"judge/m","mode":"pairwise","sample":0.1,"margin":0.05,)"
            R"("confidence":0.95,"max_usd":2},"variants":[)"
            R"({"name":"A","target":"openai/gpt-4o","calls":10,"judged":6,"wins":1,"losses":3,)"
            R"("ties":2,"win_rate":0.3333,"win_rate_ci":[0.0968,0.7],"mean_score":null,)"
            R"("cost_per_call_usd":0.002,"latency_ms":{"p50":500,"p95":1000},"error_rate":0.1},)"
            R"({"name":"B","target":"openai/gpt-4o-mini","calls":8,"judged":6,"wins":3,)"
            R"("losses":1,"ties":2,"win_rate":0.6667,"win_rate_ci":[0.3,0.9032],)"
            R"("mean_score":null,"cost_per_call_usd":null,"latency_ms":{"p50":70,"p95":90},)"
            R"("error_rate":0}],)"
            R"("pairs":[{"a":"A","b":"B","judged":6,"invalid":2,"b_wins":3,"a_wins":1,"ties":2,)"
            R"("b_win_rate":0.6667,"ci":[0.3,0.9032],"decision":"undecided","better":null}],)"
            R"("verdict":"Not enough evidence yet, n = 18, judged 6",)"
            R"("epochs":[{"epoch":"e2","started":"2026-01-01T00:00:00.000Z","status":"running"},)"
            R"({"epoch":"e1","started":"2025-12-01T00:00:00.000Z","status":"stopped"}]})");
}

TEST_F(ExperimentReportTest, EarlierEpochFromItsStoredRow) {
  auto report = ReportFor(live_, &store_, "e1");
  ASSERT_TRUE(report.ok()) << report.error().message;
  const boost::json::object json = ReportJson(*report).as_object();
  EXPECT_EQ(json.at("epoch"), "e1");
  EXPECT_EQ(json.at("status"), "stopped");
  EXPECT_EQ(ReportText(json.at("shares")), R"({"A":0,"C":1})");
  EXPECT_EQ(ReportText(json.at("promotion")), R"({"to":"C","n":40})");
  EXPECT_EQ(json.at("judge").at("sample"), 0.05);  // promoted: the keep_sample
  const auto& variants = json.at("variants").as_array();
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[1].at("name"), "C");
  EXPECT_EQ(variants[1].at("target"), "groq/llama");
  EXPECT_EQ(variants[1].at("calls"), 4);
  EXPECT_EQ(ReportText(variants[1].at("cost_per_call_usd")), "0.000001");  // 4,000 nanos / 4
  EXPECT_EQ(variants[0].at("calls"), 0);
  EXPECT_TRUE(variants[0].at("error_rate").is_null());
  const auto& pairs = json.at("pairs").as_array();
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].at("b"), "C");
  EXPECT_EQ(pairs[0].at("b_wins"), 1);
}

TEST_F(ExperimentReportTest, UnknownEpochIsNotFound) {
  auto report = ReportFor(live_, &store_, "e9");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(report.error().message, "the experiment chat has no epoch 'e9'");
}

TEST_F(ExperimentReportTest, WithoutALedgerTheLiveStateAlone) {
  live_.status = "paused";
  auto report = ReportFor(live_, nullptr, "");
  ASSERT_TRUE(report.ok()) << report.error().message;
  const boost::json::object json = ReportJson(*report).as_object();
  EXPECT_EQ(json.at("status"), "paused");
  EXPECT_EQ(json.at("verdict"),
            "Results need the ledger's database, which is off: traffic is split, but no calls or "
            "judgements are kept");
  EXPECT_EQ(ReportText(json.at("epochs")),
            R"([{"epoch":"e2","started":"2026-01-01T00:00:00.000Z","status":"paused"}])");
  EXPECT_EQ(json.at("variants").as_array()[0].at("calls"), 0);
  EXPECT_TRUE(json.at("variants").as_array()[0].at("win_rate_ci").is_null());
  EXPECT_FALSE(ReportFor(live_, nullptr, "e1").ok());
}

TEST_F(ExperimentReportTest, StoreErrorsAreReturned) {
  store_.fail = Error::Unavailable("database is locked");
  auto report = ReportFor(live_, &store_, "");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, "database is locked");
}

TEST_F(ExperimentReportTest, ScoreMode) {
  route_.experiment->judge->mode = "score";
  StoredJudgement scored;
  scored.mode = "score";
  scored.variant_b = "B";
  scored.outcome = "scored";
  scored.score = 7;
  store_.judgements["e2"] = {scored};
  auto report = ReportFor(live_, &store_, "");
  ASSERT_TRUE(report.ok()) << report.error().message;
  const boost::json::object json = ReportJson(*report).as_object();
  EXPECT_TRUE(json.at("pairs").as_array().empty());
  EXPECT_EQ(json.at("variants").as_array()[1].at("mean_score"), 7.0);
  EXPECT_EQ(json.at("verdict"),
            "Score mode gives no significance test: A not scored yet, B mean score 7.0 (judged "
            "1)");
}

TEST_F(ExperimentReportTest, Table) {
  auto report = ReportFor(live_, &store_, "");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(ReportTable(*report),
            "experiment chat  epoch e2  running  started 2026-01-01T00:00:00.000Z\n"
            "judge judge/m (pairwise, sample 0.1, margin 0.05, confidence 0.95)\n"
            "\n"
            "VARIANT  TARGET              SHARE  CALLS  JUDGED  WINS  LOSSES  TIES  WIN RATE  "
            "    95% CI  MEAN SCORE  COST/CALL  P50 MS  P95 MS  ERRORS\n"
            "A        openai/gpt-4o           1     10       6     1       3     2     33.3%  "
            " 9.7-70.0%           -  $0.002000     500    1000   10.0%\n"
            "B        openai/gpt-4o-mini      1      8       6     3       1     2     66.7%  "
            "30.0-90.3%           -          -      70      90    0.0%\n"
            "\n"
            "A  B  JUDGED  INVALID  B WINS  A WINS  TIES  B WIN RATE      95% CI   DECISION  "
            "BETTER\n"
            "A  B       6        2       3       1     2       66.7%  30.0-90.3%  undecided  "
            "     -\n"
            "\n"
            "verdict: Not enough evidence yet, n = 18, judged 6\n");
}

TEST_F(ExperimentReportTest, StoredReportForTheCli) {
  config::Config config;
  config.routes.push_back(route_);
  // No epoch: the config's current one (e2), though e1 is also stored.
  auto current = StoredReport(store_, config, "chat", "");
  ASSERT_TRUE(current.ok()) << current.error().message;
  EXPECT_EQ(current->state.epoch, "e2");
  ASSERT_TRUE(current->state.judge);
  auto earlier = StoredReport(store_, config, "chat", "e1");
  ASSERT_TRUE(earlier.ok()) << earlier.error().message;
  EXPECT_EQ(earlier->state.variants[1].name, "C");
  // A route the config no longer has: its newest epoch, judged by the defaults' test.
  auto unconfigured = StoredReport(store_, config::Config{}, "chat", "");
  ASSERT_TRUE(unconfigured.ok()) << unconfigured.error().message;
  EXPECT_EQ(unconfigured->state.epoch, "e2");
  EXPECT_FALSE(unconfigured->state.judge);

  auto unknown = StoredReport(store_, config, "nope", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(StoredReport(store_, config, "chat", "e9").error().kind, ErrorKind::kNotFound);
}

TEST(ReportTextTest, PlainNumbersAndNoNaN) {
  boost::json::object value = {{"a", 0.625},
                               {"b", 1e-7},
                               {"g", -1.25e-9},
                               {"c", std::numeric_limits<double>::quiet_NaN()},
                               {"d", std::numeric_limits<double>::infinity()},
                               {"e", 3},
                               {"f", "x\"y"}};
  EXPECT_EQ(ReportText(value),
            R"({"a":0.625,"b":0.0000001,"g":-0.00000000125,"c":null,"d":null,"e":3,"f":"x\"y"})");
}

}  // namespace
}  // namespace switchyard::gateway

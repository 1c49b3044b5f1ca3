#include "telemetry/metrics_sink.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "ledger/sqlite/sqlite_ledger_sink.h"
#include "unit/ledger/ledger_test_util.h"

namespace switchyard::telemetry {
namespace {

ledger::CallRecord CallWith(int status, std::vector<ledger::AttemptOutcome> outcomes) {
  ledger::CallRecord record;
  record.status = status;
  record.latency_ms = 10;
  for (ledger::AttemptOutcome outcome : outcomes) {
    ledger::AttemptRecord attempt;
    attempt.outcome = outcome;
    attempt.usage.input_tokens = 5;
    attempt.usage.output_tokens = 3;
    attempt.usage.reasoning_tokens = 1;
    record.attempts.push_back(attempt);
  }
  return record;
}

TEST(MetricsSinkTest, CountsCallsByStatusClassAndAttemptsByOutcome) {
  MetricsSink metrics;
  metrics.Record(
      CallWith(200, {ledger::AttemptOutcome::kUpstreamError, ledger::AttemptOutcome::kSuccess}));
  metrics.Record(CallWith(404, {}));
  metrics.Record(CallWith(499, {ledger::AttemptOutcome::kCancelled}));
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("switchyard_calls_total{status=\"2xx\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_calls_total{status=\"4xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_calls_total{status=\"client_gone\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_attempts_total{outcome=\"upstream_error\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("switchyard_attempts_total{outcome=\"cancelled\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_input_tokens_total 15\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_output_tokens_total 9\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_call_latency_ms_sum 30\n"), std::string::npos);
}

// A late record's shadow and judge attempts count as attempts, with their tokens, but not as a
// call: the call was counted when it ended.
TEST(MetricsSinkTest, ALateRecordCountsItsAttemptsButNoCall) {
  MetricsSink metrics;
  metrics.Record(CallWith(200, {ledger::AttemptOutcome::kSuccess}));
  ledger::CallRecord late =
      CallWith(0, {ledger::AttemptOutcome::kSuccess, ledger::AttemptOutcome::kTimeout});
  late.late = true;
  metrics.RecordLate(late);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("switchyard_calls_total{status=\"2xx\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_calls_total{status=\"5xx\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_attempts_total{outcome=\"success\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_attempts_total{outcome=\"timeout\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_input_tokens_total 15\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_reasoning_tokens_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_call_latency_ms_sum 10\n"), std::string::npos);
}

// A race's rejected answer is the last outcome: it has its own counter (it once indexed past the
// array) and leaves the others as they were.
TEST(MetricsSinkTest, CountsRejectedAttemptsInTheirOwnCounter) {
  MetricsSink metrics;
  metrics.Record(CallWith(502, {ledger::AttemptOutcome::kRejected, ledger::AttemptOutcome::kRejected}));
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("switchyard_attempts_total{outcome=\"rejected\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_streamed_calls_total 0\n"), std::string::npos) << text;
}

TEST(MetricsSinkTest, CountsSoftBudgetAlertsAndGovernanceRefusals) {
  MetricsSink metrics;
  ledger::CallRecord alerted = CallWith(200, {ledger::AttemptOutcome::kSuccess});
  alerted.budget_alert = "key:k day";
  metrics.Record(alerted);
  for (const char* reason : {"budget", "budget", "rate_limit", "model"}) {
    ledger::CallRecord refused = CallWith(402, {});
    refused.refused_by = reason;
    metrics.Record(refused);
  }
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("switchyard_budget_alerts_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_governance_refusals_total{reason=\"budget\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_governance_refusals_total{reason=\"rate_limit\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_governance_refusals_total{reason=\"model\"} 1\n"), std::string::npos);
}

TEST(MetricsSinkTest, CountsGuardrailsByAction) {
  MetricsSink metrics;
  ledger::CallRecord call = CallWith(200, {ledger::AttemptOutcome::kSuccess});
  call.guardrails = "pii-out:redact,team:a:flag,policy:flag";
  metrics.Record(call);
  ledger::CallRecord denied = CallWith(400, {});
  denied.guardrails = "no-secrets:deny";
  metrics.Record(denied);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("switchyard_guardrail_actions_total{action=\"redact\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_guardrail_actions_total{action=\"flag\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_guardrail_actions_total{action=\"deny\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_guardrail_actions_total{action=\"fallback\"} 0\n"), std::string::npos);
}

TEST(MetricsSinkTest, EveryCounterHasHelpAndType) {
  const std::string text = MetricsSink().Render();
  std::size_t helps = 0, types = 0;
  for (std::size_t at = text.find("# HELP"); at != std::string::npos;
       at = text.find("# HELP", at + 1))
    ++helps;
  for (std::size_t at = text.find("# TYPE"); at != std::string::npos;
       at = text.find("# TYPE", at + 1))
    ++types;
  EXPECT_EQ(helps, types);
  EXPECT_EQ(helps, 11u);
}

TEST(MetricsSinkTest, ServesTheLedgerQueueAndWhatItDropped) {
  ledger::testing_util::TempDir dir;
  ledger::LedgerSinkOptions options;
  options.max_queued = 1;
  auto sink = ledger::SqliteLedgerSink::Open(dir.File("ledger.db"), options);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  (*sink)->PauseWriterForTest();
  const auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::off);
  for (int i = 0; i < 3; ++i) {
    (*sink)->Record(ledger::testing_util::SimpleCall(fmt::format("r{}", i)));
  }
  MetricsSink metrics;
  metrics.WatchLedger(sink->get());
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("\nswitchyard_ledger_queued 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nswitchyard_ledger_dropped_total 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nswitchyard_ledger_abandoned_total 0\n"), std::string::npos) << text;
  (*sink)->ResumeWriterForTest();
  (*sink)->Flush();
  spdlog::set_level(level);
}

}  // namespace
}  // namespace switchyard::telemetry

// MetricsSink: counters over finished calls, served as Prometheus text at GET /metrics. A CallSink
// like the access log, so it sees exactly the calls the log sees. Lock-free: relaxed atomics, since
// each counter is independent and a scrape may see one call half-counted.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/call_sink.h"
#include "ledger/sinks/batching_ledger_sink.h"

namespace switchyard::telemetry {

class MetricsSink : public ledger::CallSink {
 public:
  void Record(const ledger::CallRecord& record) override;
  // A late record's attempts count like a call's (outcomes, tokens); it is no call of its own.
  void RecordLate(const ledger::CallRecord& record) override;
  void Flush() override {}

  // Also serves the ledger queue's figures (calls waiting, dropped, abandoned, failed writes).
  // `ledger` must outlive the sink's renders; set before the server starts.
  void WatchLedger(const ledger::BatchingLedgerSink* ledger) { ledger_ = ledger; }

  // The Prometheus text exposition of every counter.
  std::string Render() const;

 private:
  static constexpr std::size_t kStatusClasses = 6;  // 1xx..5xx, and 499 (client gone) apart
  static constexpr std::size_t kOutcomes = ledger::kAttemptOutcomeCount;

  void CountAttempts(const std::vector<ledger::AttemptRecord>& attempts);

  std::array<std::atomic<std::uint64_t>, kStatusClasses> calls_{};
  std::array<std::atomic<std::uint64_t>, kOutcomes> attempts_{};
  std::atomic<std::uint64_t> streamed_calls_{0};
  std::atomic<std::uint64_t> input_tokens_{0};
  std::atomic<std::uint64_t> cached_input_tokens_{0};
  std::atomic<std::uint64_t> output_tokens_{0};
  std::atomic<std::uint64_t> reasoning_tokens_{0};
  std::atomic<std::uint64_t> latency_ms_sum_{0};
  std::atomic<std::uint64_t> budget_alerts_{0};
  std::array<std::atomic<std::uint64_t>, 3> refusals_{};  // budget, rate_limit, model
  std::array<std::atomic<std::uint64_t>, 4> guardrail_actions_{};  // deny, redact, flag, fallback
  const ledger::BatchingLedgerSink* ledger_ = nullptr;
};

}  // namespace switchyard::telemetry

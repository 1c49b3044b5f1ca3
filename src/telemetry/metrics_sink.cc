#include "telemetry/metrics_sink.h"

#include <fmt/format.h>

namespace switchyard::telemetry {
namespace {

constexpr std::array<const char*, 6> kStatusLabels = {"1xx", "2xx", "3xx", "4xx", "5xx",
                                                      "client_gone"};

std::size_t StatusIndex(int status) {
  if (status == 499) return 5;
  if (status < 100 || status > 599) return 4;  // no status means the gateway failed: count as 5xx
  return static_cast<std::size_t>(status / 100 - 1);
}

void Add(std::atomic<std::uint64_t>& counter, std::int64_t amount) {
  if (amount > 0) counter.fetch_add(static_cast<std::uint64_t>(amount), std::memory_order_relaxed);
}

void Counter(std::string& out, std::string_view name, std::string_view help,
             std::uint64_t value) {
  fmt::format_to(std::back_inserter(out), "# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name,
                 help, value);
}

// The ledger queue: its bound holds, so what did not fit is counted, not hidden.
void RenderLedger(const ledger::LedgerSinkStats& stats, std::string& out) {
  fmt::format_to(std::back_inserter(out),
                 "# HELP switchyard_ledger_queued Calls waiting to be written to the ledger.\n"
                 "# TYPE switchyard_ledger_queued gauge\nswitchyard_ledger_queued {}\n",
                 stats.queued);
  Counter(out, "switchyard_ledger_dropped_total",
          "Calls not recorded in the ledger because its queue was full.", stats.dropped);
  Counter(out, "switchyard_ledger_abandoned_total",
          "Calls given up after failed ledger writes (logged as access-log lines instead).",
          stats.abandoned);
  Counter(out, "switchyard_ledger_write_errors_total", "Failed ledger transactions (retried).",
          stats.write_errors);
}

constexpr std::array<std::string_view, 3> kRefusalReasons = {"budget", "rate_limit", "model"};
constexpr std::array<std::string_view, 4> kGuardrailActions = {"deny", "redact", "flag",
                                                               "fallback"};

// Each "name:action" of a call's guardrails (ledger/call_record.h), by its action.
template <typename Count>
void ForEachGuardrailAction(std::string_view fired, Count count) {
  while (!fired.empty()) {
    const std::size_t comma = fired.find(',');
    const std::string_view entry = fired.substr(0, comma);
    const std::size_t colon = entry.rfind(':');
    if (colon != std::string_view::npos) {
      const std::string_view action = entry.substr(colon + 1);
      for (std::size_t i = 0; i < kGuardrailActions.size(); ++i) {
        if (action == kGuardrailActions[i]) count(i);
      }
    }
    if (comma == std::string_view::npos) break;
    fired.remove_prefix(comma + 1);
  }
}

}  // namespace

void MetricsSink::Record(const ledger::CallRecord& record) {
  calls_[StatusIndex(record.status)].fetch_add(1, std::memory_order_relaxed);
  if (record.stream) streamed_calls_.fetch_add(1, std::memory_order_relaxed);
  Add(latency_ms_sum_, record.latency_ms);
  if (!record.budget_alert.empty()) budget_alerts_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < kRefusalReasons.size(); ++i) {
    if (record.refused_by == kRefusalReasons[i]) refusals_[i].fetch_add(1, std::memory_order_relaxed);
  }
  ForEachGuardrailAction(record.guardrails, [this](std::size_t i) {
    guardrail_actions_[i].fetch_add(1, std::memory_order_relaxed);
  });
  CountAttempts(record.attempts);
}

void MetricsSink::RecordLate(const ledger::CallRecord& record) { CountAttempts(record.attempts); }

void MetricsSink::CountAttempts(const std::vector<ledger::AttemptRecord>& attempts) {
  for (const ledger::AttemptRecord& attempt : attempts) {
    attempts_[static_cast<std::size_t>(attempt.outcome)].fetch_add(1, std::memory_order_relaxed);
    Add(input_tokens_, attempt.usage.input_tokens);
    Add(cached_input_tokens_, attempt.usage.cached_input_tokens);
    Add(output_tokens_, attempt.usage.output_tokens);
    Add(reasoning_tokens_, attempt.usage.reasoning_tokens);
  }
}

std::string MetricsSink::Render() const {
  std::string out;
  out += "# HELP switchyard_calls_total Client calls answered, by status class.\n"
         "# TYPE switchyard_calls_total counter\n";
  for (std::size_t i = 0; i < kStatusClasses; ++i) {
    fmt::format_to(std::back_inserter(out), "switchyard_calls_total{{status=\"{}\"}} {}\n",
                   kStatusLabels[i], calls_[i].load(std::memory_order_relaxed));
  }
  out += "# HELP switchyard_attempts_total Upstream attempts, by outcome.\n"
         "# TYPE switchyard_attempts_total counter\n";
  for (std::size_t i = 0; i < kOutcomes; ++i) {
    fmt::format_to(std::back_inserter(out), "switchyard_attempts_total{{outcome=\"{}\"}} {}\n",
                   ledger::ToString(static_cast<ledger::AttemptOutcome>(i)),
                   attempts_[i].load(std::memory_order_relaxed));
  }
  auto load = [](const std::atomic<std::uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  Counter(out, "switchyard_streamed_calls_total", "Client calls that asked for a stream.",
          load(streamed_calls_));
  Counter(out, "switchyard_call_latency_ms_sum", "Sum of call latencies in milliseconds.",
          load(latency_ms_sum_));
  Counter(out, "switchyard_input_tokens_total", "Uncached prompt tokens, over all attempts.",
          load(input_tokens_));
  Counter(out, "switchyard_cached_input_tokens_total", "Prompt tokens read from provider caches.",
          load(cached_input_tokens_));
  Counter(out, "switchyard_output_tokens_total", "Output tokens, reasoning included.",
          load(output_tokens_));
  Counter(out, "switchyard_reasoning_tokens_total", "Reasoning tokens.", load(reasoning_tokens_));
  Counter(out, "switchyard_budget_alerts_total", "Calls that passed a soft budget.",
          load(budget_alerts_));
  out += "# HELP switchyard_governance_refusals_total Calls refused before any attempt, by reason.\n"
         "# TYPE switchyard_governance_refusals_total counter\n";
  for (std::size_t i = 0; i < kRefusalReasons.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "switchyard_governance_refusals_total{{reason=\"{}\"}} {}\n",
                   kRefusalReasons[i], refusals_[i].load(std::memory_order_relaxed));
  }
  out += "# HELP switchyard_guardrail_actions_total Guardrails that fired, by action.\n"
         "# TYPE switchyard_guardrail_actions_total counter\n";
  for (std::size_t i = 0; i < kGuardrailActions.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "switchyard_guardrail_actions_total{{action=\"{}\"}} {}\n",
                   kGuardrailActions[i], guardrail_actions_[i].load(std::memory_order_relaxed));
  }
  if (ledger_ != nullptr) RenderLedger(ledger_->stats(), out);
  return out;
}

}  // namespace switchyard::telemetry

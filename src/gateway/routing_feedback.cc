#include "gateway/routing_feedback.h"

#include <algorithm>

#include "gateway/retry_decision.h"

namespace switchyard::gateway {
namespace {

// The longest a provider's asked wait (retry-after, rate-limit reset) keeps a target out of routing.
constexpr std::chrono::milliseconds kMaxCoolDown{10 * 60'000};

}  // namespace

void ReportOutcome(const GatewayState& state, const std::string& key, const AttemptResult& result,
                   bool stream) {
  const auto now = std::chrono::steady_clock::now();
  if (!result.error) {
    if (state.config.health.enabled) state.health.RecordSuccess(key, now);
    // A stream's total is how long the answer took to generate, not how soon it came: it would
    // make a target with long streams look slow for plain calls. Streams feed only the time to
    // first token; plain calls only the total (what `fastest` compares for each).
    if (!stream) {
      state.latency.Record(key, routing::LatencyMetric::kTotal,
                           std::chrono::milliseconds(result.record.latency_ms), now);
    }
    if (result.record.ttft_ms) {
      state.latency.Record(key, routing::LatencyMetric::kTtft,
                           std::chrono::milliseconds(*result.record.ttft_ms), now);
    }
    return;
  }
  if (!state.config.health.enabled) return;
  const int status = result.record.http_status;
  state.health.RecordFailure(key, now, routing::FailureKindOf(result.error->kind, status));
  if (status == 429) {
    if (const auto wait = ProviderWait(result)) {
      state.health.CoolDown(key, now + std::min<std::chrono::milliseconds>(*wait, kMaxCoolDown));
    }
  }
}

}  // namespace switchyard::gateway

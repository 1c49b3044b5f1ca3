#include "routing/attempt_feedback.h"

#include <algorithm>

namespace switchyard::routing {
namespace {

// The longest a provider's asked wait (retry-after, rate-limit reset) keeps a target out of routing.
constexpr std::chrono::milliseconds kMaxCoolDown{10 * 60'000};

void ReportLatency(LatencyTracker& latency, std::string_view key, const AttemptReport& report,
                   bool stream, SteadyTime now) {
  // A stream's total is how long the answer took to generate, not how soon it came: it would make
  // a target with long streams look slow for plain calls. Streams feed only the time to first
  // token; plain calls only the total (what `fastest` compares for each).
  if (!stream) latency.Record(key, LatencyMetric::kTotal, report.latency, now);
  if (report.ttft) latency.Record(key, LatencyMetric::kTtft, *report.ttft, now);
}

}  // namespace

void ReportOutcome(const FeedbackSinks& sinks, std::string_view key, const AttemptReport& report,
                   bool stream, SteadyTime now) {
  if (!report.error) {
    if (sinks.health != nullptr) sinks.health->RecordSuccess(key, now);
    if (sinks.latency != nullptr) ReportLatency(*sinks.latency, key, report, stream, now);
    return;
  }
  if (sinks.health == nullptr) return;
  const int status = report.http_status;
  sinks.health->RecordFailure(key, now, FailureKindOf(*report.error, status));
  if (status == 429 && report.provider_wait.wait) {
    sinks.health->CoolDown(
        key, now + std::min<std::chrono::milliseconds>(*report.provider_wait.wait, kMaxCoolDown));
  }
}

}  // namespace switchyard::routing

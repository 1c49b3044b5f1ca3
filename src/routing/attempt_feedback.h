// What routing learns from each attempt (routing/strategy.h): its target's health — a success, a
// failure of the kind the circuit breaker counts, a 429's cool-down — and, on success, its latency
// (time to first token for streams, total for plain calls). The router reports every attempt that
// reached the provider. Thread-safe: the registries it feeds are.
#pragma once

#include <string_view>

#include "routing/attempt_runner.h"
#include "routing/health.h"
#include "routing/latency_tracker.h"

namespace switchyard::routing {

// Where the feedback goes; `health` null when the health registry is disabled (`health: enabled:
// false`), `latency` null when nothing tracks latency.
struct FeedbackSinks {
  HealthRegistry* health = nullptr;
  LatencyTracker* latency = nullptr;
};

// `key` is TargetKey of the attempt's target, `stream` whether the call streamed, `now` the steady
// clock's reading as the attempt ended.
void ReportOutcome(const FeedbackSinks& sinks, std::string_view key, const AttemptReport& report,
                   bool stream, SteadyTime now);

}  // namespace switchyard::routing

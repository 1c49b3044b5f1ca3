// What routing learns from each attempt (routing/strategy.h): its target's health — a success, a
// failure of the kind the circuit breaker counts, a 429's cool-down — and, on success, its latency
// (time to first token for streams, total for plain calls). Thread-safe: the registries it feeds
// are.
#pragma once

#include <string>

#include "gateway/attempt.h"
#include "gateway/gateway_state.h"

namespace switchyard::gateway {

// `key` is routing::TargetKey of the attempt's target; `stream` whether the call streamed.
void ReportOutcome(const GatewayState& state, const std::string& key, const AttemptResult& result,
                   bool stream);

}  // namespace switchyard::gateway

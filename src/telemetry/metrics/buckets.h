// Histogram bucket upper bounds, in seconds, for the gateway's latency histograms. Fixed at compile
// time so that every worker's shard has the same layout and a scrape merges them cell by cell.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace switchyard::telemetry::metrics {

// OpenTelemetry GenAI semantic conventions' advice for gen_ai.client.operation.duration and
// gen_ai.server.time_to_first_token: doubling from 10 ms, so one p99 panel covers a cache hit and a
// long reasoning call alike. Used for request duration and time to first token.
inline constexpr std::array<double, 14> kDurationBucketsSeconds = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};

// GenAI semconv's advice for gen_ai.server.time_per_output_token: finer where decoders sit
// (tens of milliseconds per token).
inline constexpr std::array<double, 13> kTimePerOutputTokenBucketsSeconds = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5};

// The bucket a value falls in, with Prometheus' `le` semantics: the first bound with value <=
// bound; bounds.size() is the +Inf bucket (above every bound, or NaN, which no finite bound
// admits). `bounds` must be ascending.
constexpr std::size_t BucketIndex(std::span<const double> bounds, double value) {
  if (!(value == value)) return bounds.size();  // NaN: compares false to every bound
  return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), value) -
                                  bounds.begin());
}

}  // namespace switchyard::telemetry::metrics

// Latency percentiles for a variant (issue 17, "Results": p50 and p95). Nearest-rank, so every
// reported value is a latency that was actually observed — no interpolated numbers that no call
// ever had — and the definition is easy to check by hand.
#pragma once

#include <optional>
#include <vector>

namespace switchyard::experiments {

// The nearest-rank q-quantile (0 < q <= 1) of `values`: the smallest value with at least q of them
// at or below it, i.e. the ceil(q·n)-th smallest; nullopt when `values` is empty or q is not in
// (0, 1]. Takes a copy because finding a rank reorders.
std::optional<double> NearestRank(std::vector<double> values, double q);

struct LatencyPercentiles {
  double p50_ms;
  double p95_ms;
};

// p50 and p95 of latencies in milliseconds; nullopt when there are none.
std::optional<LatencyPercentiles> Percentiles(const std::vector<double>& latencies_ms);

}  // namespace switchyard::experiments

#include "experiments/stats/quantiles.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace switchyard::experiments {

std::optional<double> NearestRank(std::vector<double> values, double q) {
  if (values.empty() || !(q > 0 && q <= 1)) return std::nullopt;
  // The 1-based rank ceil(q·n), at least 1; the small epsilon keeps q·n = 95.0000000001 (from
  // 0.95 not being exact in binary) from becoming rank 96.
  const double exact = q * static_cast<double>(values.size());
  auto rank = static_cast<std::size_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

std::optional<LatencyPercentiles> Percentiles(const std::vector<double>& latencies_ms) {
  if (latencies_ms.empty()) return std::nullopt;
  return LatencyPercentiles{*NearestRank(latencies_ms, 0.50), *NearestRank(latencies_ms, 0.95)};
}

}  // namespace switchyard::experiments

#include "routing/backoff.h"

#include <algorithm>

namespace switchyard::routing {

std::chrono::milliseconds RetryBackoff(int retry_index,
                                       std::optional<std::chrono::milliseconds> provider_wait,
                                       std::mt19937_64& rng) {
  if (provider_wait) {
    return std::clamp(*provider_wait, std::chrono::milliseconds(0), kMaxBackoff);
  }
  const int doublings = std::clamp(retry_index, 0, 5);  // 100 ms << 5 is past the cap already
  const std::chrono::milliseconds step =
      std::min(kBaseBackoff * (std::int64_t{1} << doublings), kMaxBackoff);
  const std::int64_t half = step.count() / 2;
  std::uniform_int_distribution<std::int64_t> jitter(0, step.count() - half);
  return std::chrono::milliseconds(half + jitter(rng));
}

}  // namespace switchyard::routing

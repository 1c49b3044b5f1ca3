// GCRA, the generic cell rate algorithm, for rate limits per minute: exact under concurrency (one
// number per limit, the theoretical arrival time, updated atomically), no window edges (a sliding
// window's burst at a minute boundary cannot happen), and O(1) state — which is also what makes it
// one small atomic script in Redis. A limit of N per minute lets N pass at once after a quiet
// minute, then one every 60/N seconds.
//
// Times are microseconds on the caller's clock (a double holds them exactly for centuries).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace switchyard::governance {

inline constexpr double kRateWindowMicros = 60e6;

struct GcraResult {
  bool allowed = false;
  double tat = 0;                // the new theoretical arrival time (unchanged when refused)
  std::int64_t remaining = 0;    // what could still pass now
  std::int64_t reset_ms = 0;     // until the limit is whole again
  std::int64_t retry_after_ms = 0;  // refused: until this use would fit
};

// Takes `amount` of a limit of `per_minute` at `now`, when it fits (`amount` 0 asks only that
// there is room for one). `take` false: counts it whatever (an output measured afterwards).
inline GcraResult Gcra(double tat, std::int64_t per_minute, std::int64_t amount, double now,
                       bool take_only_if_room = true) {
  const double interval = kRateWindowMicros / static_cast<double>(per_minute);
  const double start = std::max(tat, now);
  const double wanted = start + static_cast<double>(std::max<std::int64_t>(amount, 1)) * interval;
  GcraResult result;
  result.allowed = !take_only_if_room || wanted - now <= kRateWindowMicros + 1e-3;
  result.tat = !result.allowed ? tat : (amount == 0 ? start : start + amount * interval);
  const double after = result.tat > now ? result.tat : now;
  result.remaining = std::max<std::int64_t>(
      0, static_cast<std::int64_t>(std::floor((now + kRateWindowMicros - after) / interval + 1e-9)));
  result.reset_ms = static_cast<std::int64_t>(std::ceil((after - now) / 1000));
  if (!result.allowed) {
    result.retry_after_ms =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((wanted - kRateWindowMicros - now) / 1000)));
  }
  return result;
}

}  // namespace switchyard::governance

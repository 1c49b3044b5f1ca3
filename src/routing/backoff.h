// Backoff: how long a route waits before retrying the same target. Exponential from 100 ms,
// doubling per retry up to 2 s, with "equal jitter" (half the step fixed, half a uniform draw) so
// that calls failing together do not retry in lock-step; a wait the provider asked for (retry-after,
// rate-limit reset) is honoured as given, with no jitter below it. Pure apart from the draw on `rng`.
#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace switchyard::routing {

// The longest wait before a retry: a provider that asks for more makes the route move on instead.
inline constexpr std::chrono::milliseconds kMaxBackoff{2000};
// The first retry's step; each later retry doubles it, up to kMaxBackoff.
inline constexpr std::chrono::milliseconds kBaseBackoff{100};

// The wait before retry number `retry_index` (0: the first retry). With `provider_wait`, that wait
// (at most kMaxBackoff) and no draw; else a uniform draw from [step / 2, step], step being
// kBaseBackoff * 2^retry_index capped at kMaxBackoff.
std::chrono::milliseconds RetryBackoff(int retry_index,
                                       std::optional<std::chrono::milliseconds> provider_wait,
                                       std::mt19937_64& rng);

}  // namespace switchyard::routing

// Money: costs as integer nano-dollars, never binary floating point (DESIGN.md "Money"). Prices are
// integer nano-dollars per million tokens; an attempt's cost is the exact sum over its token
// classes of tokens × price (128-bit), divided by one million and rounded half-to-even once; sums
// of attempts then add exactly. FormatUsd renders a cost as the decimal text of
// `x-switchyard-cost-usd`.
//
// Plain value code: no state, no I/O; every function is safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace switchyard::pricing {

using Nanos = std::int64_t;  // 1e-9 USD
inline constexpr std::int64_t kTokensPerMillion = 1'000'000;
inline constexpr Nanos kNanosPerUsd = 1'000'000'000;

// Accumulates tokens × nano-dollars-per-million over several token classes without rounding, then
// rounds once. Add() returns false on a negative input or on overflow (beyond anything real: about
// 1e29 token-nanos); the sum is then poisoned and Total() is empty.
class CostSum {
 public:
  bool Add(std::int64_t tokens, Nanos nanos_per_million);
  // The sum in whole nano-dollars, rounded half-to-even; empty when poisoned or beyond int64.
  std::optional<Nanos> Total() const;

 private:
  __extension__ typedef __int128 Int128;
  Int128 numerator_ = 0;  // in 1e-15 USD: tokens × nano-dollars per million tokens
  bool ok_ = true;
};

// The cost of `tokens` at `nanos_per_million`, rounded half-to-even to whole nano-dollars. Empty on
// a negative input or a result beyond int64.
std::optional<Nanos> CostNanos(std::int64_t tokens, Nanos nanos_per_million);

// Exact decimal US dollars with up to 9 decimals and no trailing zeros: 0 → "0", 1234 →
// "0.000001234", 1'000'000'000 → "1", 1'500'000'000 → "1.5", -5 → "-0.000000005". The text is also
// a valid JSON number.
std::string FormatUsd(Nanos nanos);

}  // namespace switchyard::pricing

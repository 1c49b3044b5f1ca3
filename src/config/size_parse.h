// Number parsing for config values: strict decimal integers, byte sizes with units ("32MiB") and
// exact US-dollar decimals as integer nano-dollars.
// Pure functions on text; no state, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::config {

// A decimal integer with an optional leading '-' or '+' and nothing else ("12", "-3").
// Returns nullopt for anything else (empty, "1.5", "0x10", "12 ", out of int64 range).
std::optional<std::int64_t> ParseInteger(std::string_view text);

// A byte size: plain bytes ("1048576") or a non-negative integer with a unit, optionally separated
// by one space: B, KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB (powers of 1024); units are
// matched case-insensitively. Returns nullopt when malformed or when the value overflows 64 bits.
std::optional<std::uint64_t> ParseByteSize(std::string_view text);

// A non-negative decimal amount of US dollars with at most nine places, read exactly (never through
// binary floating point) as nano-dollars: "0.15" → 150'000'000, "2" → 2'000'000'000. Returns
// nullopt for anything else ("", ".5", "1.", "-1", "1e3", ten places) or when the whole dollars
// exceed `max_whole_dollars` (at most 9'000'000'000, so that the result fits).
std::optional<std::int64_t> ParseUsdNanos(std::string_view text, std::int64_t max_whole_dollars);

}  // namespace switchyard::config

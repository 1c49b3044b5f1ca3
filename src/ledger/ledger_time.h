// Ledger time: how the ledger writes and reads instants. Rows carry both ISO-8601 UTC text with
// milliseconds ("2026-11-26T05:01:25.123Z", whose first ten characters are the UTC day used by
// `group_by=day`) and epoch milliseconds (what range filters compare). Pure functions, thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace switchyard::ledger {

std::int64_t ToEpochMillis(std::chrono::system_clock::time_point time);

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for epoch milliseconds (negative values included). The year is written
// as fmt's {:04d} would: "0042", "-001", "10000"; every int64 maps to its proleptic Gregorian date.
std::string FormatIsoUtcMillis(std::int64_t epoch_ms);

// Room for the longest such text: a sign, a nine-digit year (int64's extremes are about 292 million
// years away) and the 20 characters from "-MM-DD" on.
using IsoUtcMillisBuffer = std::array<char, 32>;

// The same text written into `buffer`, without allocating (the ledger writer formats one per row);
// the view points into `buffer`.
std::string_view FormatIsoUtcMillis(std::int64_t epoch_ms, IsoUtcMillisBuffer& buffer);

// Parses an ISO-8601 instant into epoch milliseconds. Accepts a date ("2026-11-26", midnight UTC),
// or a date and time "2026-11-26T05:01[:25[.123456]]" (a space may replace the T) followed by "Z",
// "+HH:MM", "-HH:MM", "+HHMM" or nothing (UTC). Fractions beyond milliseconds are truncated.
// Fails with an InvalidRequest error naming the text and the expected form.
Result<std::int64_t> ParseIsoTime(std::string_view text);

}  // namespace switchyard::ledger

// FormatIsoUtcMillis: the hand-written formatter against the edge dates and, byte for byte, against
// the std::chrono + fmt code it replaced.
#include "ledger/ledger_time.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

namespace switchyard::ledger {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

// The formatter as it was before it was hand-written (std::chrono's year_month_day and fmt).
std::string ChronoFmtFormat(std::int64_t epoch_ms) {
  std::int64_t day = epoch_ms / kMsPerDay;
  std::int64_t in_day = epoch_ms % kMsPerDay;
  if (in_day < 0) {
    in_day += kMsPerDay;
    --day;
  }
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z",
                     static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()), in_day / 3'600'000,
                     in_day / 60'000 % 60, in_day / 1000 % 60, in_day % 1000);
}

TEST(LedgerTimeTest, FormatsEdgeDates) {
  EXPECT_EQ(FormatIsoUtcMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(1709164800000), "2024-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(FormatIsoUtcMillis(1709251199999), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(FormatIsoUtcMillis(951825600000), "2000-02-29T12:00:00.000Z");  // 400-year leap
  EXPECT_EQ(FormatIsoUtcMillis(951868800000), "2000-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(-2203891200000), "1900-03-01T00:00:00.000Z");  // 1900: no Feb 29
  EXPECT_EQ(FormatIsoUtcMillis(1767225599999), "2025-12-31T23:59:59.999Z");   // end of a year
  EXPECT_EQ(FormatIsoUtcMillis(1767225600000), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(4107542399999), "2100-02-28T23:59:59.999Z");  // 2100: no Feb 29
  EXPECT_EQ(FormatIsoUtcMillis(4107542400000), "2100-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(13574586615005), "2400-02-29T06:30:15.005Z");
  EXPECT_EQ(FormatIsoUtcMillis(253402300799999), "9999-12-31T23:59:59.999Z");
}

TEST(LedgerTimeTest, FormatsInstantsBefore1970AndBeyondFourDigitYears) {
  EXPECT_EQ(FormatIsoUtcMillis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoUtcMillis(-kMsPerDay), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(-62135596800000), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(-62167219200000 - 1), "-001-12-31T23:59:59.999Z");  // as {:04d}
  EXPECT_EQ(FormatIsoUtcMillis(253402300800000), "10000-01-01T00:00:00.000Z");
  // std::chrono::year (16 bits) wrapped around out here; now every int64 has its Gregorian date.
  EXPECT_EQ(FormatIsoUtcMillis(std::numeric_limits<std::int64_t>::max()),
            "292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(FormatIsoUtcMillis(std::numeric_limits<std::int64_t>::min()),
            "-292275055-05-16T16:47:04.192Z");
}

TEST(LedgerTimeTest, FormatsLikeTheChronoAndFmtCodeItReplaced) {
  // Every day from 1900 to 2200, each at a different time of day.
  const std::int64_t y1900 = -2208988800000 / kMsPerDay;
  for (std::int64_t day = y1900; day < y1900 + 300 * 366; ++day) {
    const std::int64_t ms = day * kMsPerDay + (day * 7'919'123) % kMsPerDay;
    ASSERT_EQ(FormatIsoUtcMillis(ms), ChronoFmtFormat(ms)) << ms;
  }
  // Every 97th day over years -30,000 to 30,000 (within std::chrono::year's range).
  for (std::int64_t day = -11'700'000; day < 10'300'000; day += 97) {
    const std::int64_t ms = day * kMsPerDay + (day * 104'729) % kMsPerDay;
    ASSERT_EQ(FormatIsoUtcMillis(ms), ChronoFmtFormat(ms)) << ms;
  }
}

TEST(LedgerTimeTest, BufferFormIsTheSameTextWithoutAllocating) {
  IsoUtcMillisBuffer buffer;
  const std::string_view text = FormatIsoUtcMillis(1772409599123, buffer);
  EXPECT_EQ(text, "2026-03-01T23:59:59.123Z");
  EXPECT_EQ(text.data(), buffer.data());
  const std::int64_t longest = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(FormatIsoUtcMillis(longest, buffer), FormatIsoUtcMillis(longest));
}

}  // namespace
}  // namespace switchyard::ledger

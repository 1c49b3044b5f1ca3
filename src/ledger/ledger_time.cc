#include "ledger/ledger_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace switchyard::ledger {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kMillisPerDay = 86'400'000;

// Reads exactly `width` digits at `*pos`; false when they are not all digits.
bool ReadDigits(std::string_view text, std::size_t* pos, int width, int* value) {
  if (*pos + static_cast<std::size_t>(width) > text.size()) return false;
  int result = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[*pos + static_cast<std::size_t>(i)];
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    result = result * 10 + (c - '0');
  }
  *pos += static_cast<std::size_t>(width);
  *value = result;
  return true;
}

bool Expect(std::string_view text, std::size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// The offset east of UTC in minutes from "Z", "+HH:MM", "-HH:MM", "+HHMM", "+HH" or nothing.
bool ReadZone(std::string_view text, std::size_t* pos, int* offset_minutes) {
  *offset_minutes = 0;
  if (*pos == text.size()) return true;
  if (text[*pos] == 'Z' || text[*pos] == 'z') {
    ++*pos;
    return true;
  }
  if (text[*pos] != '+' && text[*pos] != '-') return false;
  const int sign = text[*pos] == '-' ? -1 : 1;
  ++*pos;
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(text, pos, 2, &hours)) return false;
  if (*pos < text.size()) {
    Expect(text, pos, ':');
    if (!ReadDigits(text, pos, 2, &minutes)) return false;
  }
  if (hours > 23 || minutes > 59) return false;
  *offset_minutes = sign * (hours * 60 + minutes);
  return true;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

// Days since 1970-01-01 to a proleptic Gregorian date: Howard Hinnant's civil_from_days
// (howardhinnant.github.io/date_algorithms.html), in int64 so that every epoch_ms has its date.
// Hand-written rather than std::chrono::year_month_day, whose year is 16-bit.
CivilDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719'468;  // since 0000-03-01: a leap day ends its year
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;                 // 400-year cycles
  const auto doe = static_cast<unsigned>(z - era * 146'097);                      // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                        // March is 0
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - (153 * mp + 2) / 5 + 1};
}

// Writes `value` as exactly `width` digits (zero-padded), then `separator`; returns the end.
char* PutField(char* out, std::uint64_t value, int width, char separator) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out[width] = separator;
  return out + width + 1;
}

// Writes `year` as fmt's {:04d} did (at least four characters, a minus sign counting as one), then
// `separator`.
char* PutYear(char* out, std::int64_t year, char separator) {
  const std::uint64_t magnitude =
      year < 0 ? 0 - static_cast<std::uint64_t>(year) : static_cast<std::uint64_t>(year);
  int digits = 1;
  for (std::uint64_t rest = magnitude / 10; rest != 0; rest /= 10) ++digits;
  if (year < 0) *out++ = '-';
  return PutField(out, magnitude, std::max(digits, year < 0 ? 3 : 4), separator);
}

Error BadTime(std::string_view text) {
  return Error::InvalidRequest(fmt::format(
      "'{}' is not an ISO-8601 time: write 2026-11-26 or 2026-11-26T05:00:00Z", text));
}

}  // namespace

std::int64_t ToEpochMillis(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string FormatIsoUtcMillis(std::int64_t epoch_ms) {
  IsoUtcMillisBuffer buffer;
  return std::string(FormatIsoUtcMillis(epoch_ms, buffer));
}

std::string_view FormatIsoUtcMillis(std::int64_t epoch_ms, IsoUtcMillisBuffer& buffer) {
  // Floor division, so that instants before 1970 still land on the right day.
  std::int64_t day = epoch_ms / kMillisPerDay;
  std::int64_t in_day = epoch_ms % kMillisPerDay;
  if (in_day < 0) {
    in_day += kMillisPerDay;
    --day;
  }
  const CivilDate date = CivilFromDays(day);
  const auto ms = static_cast<std::uint64_t>(in_day);
  char* out = PutYear(buffer.data(), date.year, '-');
  out = PutField(out, date.month, 2, '-');
  out = PutField(out, date.day, 2, 'T');
  out = PutField(out, ms / 3'600'000, 2, ':');
  out = PutField(out, ms / 60'000 % 60, 2, ':');
  out = PutField(out, ms / 1000 % 60, 2, '.');
  out = PutField(out, ms % 1000, 3, 'Z');
  return {buffer.data(), static_cast<std::size_t>(out - buffer.data())};
}

Result<std::int64_t> ParseIsoTime(std::string_view text) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return BadTime(text);
  }
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return BadTime(text);
  std::int64_t ms = static_cast<std::int64_t>(sys_days{date}.time_since_epoch().count()) *
                    kMillisPerDay;
  if (pos == text.size()) return ms;

  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return BadTime(text);
  ++pos;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return BadTime(text);
  }
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, &pos, 2, &second)) return BadTime(text);
  }
  int millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return BadTime(text);
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  int offset_minutes = 0;
  if (!ReadZone(text, &pos, &offset_minutes) || pos != text.size()) return BadTime(text);
  if (hour > 23 || minute > 59 || second > 59) return BadTime(text);
  ms += (static_cast<std::int64_t>(hour) * 3600 + minute * 60 + second) * 1000 + millis;
  ms -= static_cast<std::int64_t>(offset_minutes) * 60'000;
  return ms;
}

}  // namespace switchyard::ledger

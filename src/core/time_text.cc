#include "core/time_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>

namespace switchyard {
namespace {

// The years a date may name: system_clock counts nanoseconds, about 292 years either side of 1970,
// so a year outside this would overflow it; no provider asks to wait until then.
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2200;

constexpr std::array<std::string_view, 12> kMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

using std::chrono::milliseconds;

std::optional<int> ParseDigits(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::chrono::system_clock::time_point> ParseImfFixdate(std::string_view text) {
  // 29 bytes: "Www, DD Mon YYYY HH:MM:SS GMT".
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text[25] != ' ' ||
      text.substr(26) != "GMT") {
    return std::nullopt;
  }
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  const auto day = ParseDigits(text.substr(5, 2));
  const auto year = ParseDigits(text.substr(12, 4));
  const auto hour = ParseDigits(text.substr(17, 2));
  const auto minute = ParseDigits(text.substr(20, 2));
  const auto second = ParseDigits(text.substr(23, 2));
  if (month == 0 || !day || !year || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60 || *year < kFirstYear || *year > kLastYear) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(month),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

std::optional<milliseconds> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  while (!text.empty()) {
    std::size_t n = 0;
    while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) ++n;
    if (n == 0) return std::nullopt;
    double number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + n, number);
    if (ec != std::errc() || end != text.data() + n) return std::nullopt;
    text.remove_prefix(n);
    std::size_t u = 0;
    while (u < text.size() && !(text[u] >= '0' && text[u] <= '9') && text[u] != '.') ++u;
    const std::string_view unit = text.substr(0, u);
    text.remove_prefix(u);
    double scale = 0;
    if (unit == "h") scale = 3'600'000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "s") scale = 1'000;
    else if (unit == "ms") scale = 1;
    else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") scale = 0.001;
    else if (unit == "ns") scale = 0.000001;
    else return std::nullopt;
    total_ms += number * scale;
  }
  total_ms = std::min<double>(std::ceil(total_ms), static_cast<double>(kMaxWait.count()));
  return milliseconds(static_cast<std::int64_t>(total_ms));
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = ParseDigits(text.substr(0, 4));
  const auto month = ParseDigits(text.substr(5, 2));
  const auto day = ParseDigits(text.substr(8, 2));
  const auto hour = ParseDigits(text.substr(11, 2));
  const auto minute = ParseDigits(text.substr(14, 2));
  const auto second = ParseDigits(text.substr(17, 2));
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60 || *year < kFirstYear || *year > kLastYear) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  std::chrono::microseconds fraction{0};
  if (!rest.empty() && rest.front() == '.') {
    std::size_t n = 1;
    std::int64_t micros = 0;
    int digits = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (rest[n] - '0');
        ++digits;
      }
      ++n;
    }
    if (n == 1) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
    fraction = std::chrono::microseconds(micros);
    rest.remove_prefix(n);
  }
  std::chrono::minutes offset{0};
  if (rest == "Z" || rest == "z") {
    // UTC
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const auto hours = ParseDigits(rest.substr(1, 2));
    const auto minutes = ParseDigits(rest.substr(4, 2));
    if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
    offset = std::chrono::minutes(*hours * 60 + *minutes);
    if (rest[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
      std::chrono::seconds(*second) + fraction - offset);
}

std::string FormatImfFixdate(std::chrono::system_clock::time_point at) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::seconds>(at - day));
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                     kDays[std::chrono::weekday(day).c_encoding()],
                     static_cast<unsigned>(date.day()),
                     kMonths[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

milliseconds WaitUntil(std::chrono::system_clock::time_point at,
                       std::chrono::system_clock::time_point now) {
  if (at <= now) return milliseconds(0);
  return std::min(std::chrono::ceil<milliseconds>(at - now), kMaxWait);
}

}  // namespace switchyard

#include "gateway/retry_after.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>

#include "core/strings.h"

namespace switchyard::gateway {
namespace {

using std::chrono::milliseconds;

// A week: longer asks are read as a week, which is already far longer than anything waits for.
constexpr std::int64_t kMaxSeconds = 7 * 24 * 3600;

// The years a date may name: system_clock counts nanoseconds, about 292 years either side of 1970,
// so a year outside this would overflow it; no provider asks to wait until then.
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2200;

// Unsigned decimal digits only (from_chars alone would take a sign: "-999" as a year).
std::optional<int> Digits(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "120" or "1.5": non-negative seconds.
std::optional<milliseconds> DelaySeconds(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::optional<int> seconds =
      whole.size() > 9 ? std::optional<int>(kMaxSeconds) : Digits(whole);
  if (!seconds) return std::nullopt;
  std::int64_t ms = std::min<std::int64_t>(*seconds, kMaxSeconds) * 1000;
  if (dot != std::string_view::npos) {
    const std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty()) return std::nullopt;
    // Milliseconds from the first three digits, rounded up so that the wait is never too short.
    int scale = 100;
    bool more = false;
    for (std::size_t i = 0; i < fraction.size(); ++i) {
      const int digit = fraction[i] - '0';
      if (digit < 0 || digit > 9) return std::nullopt;
      if (i < 3) {
        ms += digit * scale;
        scale /= 10;
      } else if (digit != 0) {
        more = true;
      }
    }
    if (more) ++ms;
  }
  return milliseconds(std::min<std::int64_t>(ms, kMaxSeconds * 1000));  // "604800.5" too
}

// "Wed, 21 Oct 2015 07:28:00 GMT" (IMF-fixdate) as a time point.
std::optional<std::chrono::system_clock::time_point> ImfFixdate(std::string_view text) {
  // 29 bytes: "Www, DD Mon YYYY HH:MM:SS GMT".
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text[25] != ' ' ||
      text.substr(26) != "GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  const auto day = Digits(text.substr(5, 2));
  const auto year = Digits(text.substr(12, 4));
  const auto hour = Digits(text.substr(17, 2));
  const auto minute = Digits(text.substr(20, 2));
  const auto second = Digits(text.substr(23, 2));
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

// A Go-style duration as OpenAI and Groq send it: one or more <number><unit>, units h, m, s, ms,
// us (or µs) and ns, numbers with an optional fraction ("1h2m3.5s", "20ms", "0s").
std::optional<milliseconds> GoDuration(std::string_view text) {
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
  total_ms = std::min<double>(std::ceil(total_ms), kMaxSeconds * 1000.0);
  return milliseconds(static_cast<std::int64_t>(total_ms));
}

// An RFC 3339 time as Anthropic sends it: "2025-01-02T03:04:05Z", with optional fractional seconds
// and a "Z" or "+HH:MM"/"-HH:MM" offset.
std::optional<std::chrono::system_clock::time_point> Rfc3339(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = Digits(text.substr(0, 4));
  const auto month = Digits(text.substr(5, 2));
  const auto day = Digits(text.substr(8, 2));
  const auto hour = Digits(text.substr(11, 2));
  const auto minute = Digits(text.substr(14, 2));
  const auto second = Digits(text.substr(17, 2));
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
    const auto hours = Digits(rest.substr(1, 2));
    const auto minutes = Digits(rest.substr(4, 2));
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

// `at` as "Wed, 21 Oct 2015 07:28:00 GMT".
std::string FormatImfFixdate(std::chrono::system_clock::time_point at) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
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

milliseconds Until(std::chrono::system_clock::time_point at,
                   std::chrono::system_clock::time_point now) {
  if (at <= now) return milliseconds(0);
  return std::min(std::chrono::ceil<milliseconds>(at - now), milliseconds(kMaxSeconds * 1000));
}

}  // namespace

std::optional<milliseconds> ParseRateLimitReset(const HeaderLookup& header,
                                                std::chrono::system_clock::time_point now) {
  struct Limit {
    std::string_view reset;
    std::string_view remaining;
    bool rfc3339;
  };
  static constexpr Limit kLimits[] = {
      {"x-ratelimit-reset-requests", "x-ratelimit-remaining-requests", false},
      {"x-ratelimit-reset-tokens", "x-ratelimit-remaining-tokens", false},
      {"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-requests-remaining", true},
      {"anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-tokens-remaining", true},
      {"anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-input-tokens-remaining",
       true},
      {"anthropic-ratelimit-output-tokens-reset", "anthropic-ratelimit-output-tokens-remaining",
       true},
  };
  std::optional<milliseconds> exhausted;  // the latest reset of a limit with nothing remaining
  std::optional<milliseconds> earliest;   // the earliest reset of any limit
  for (const Limit& limit : kLimits) {
    const std::string_view reset = TrimWhitespace(header(limit.reset));
    if (reset.empty()) continue;
    std::optional<milliseconds> wait;
    if (limit.rfc3339) {
      if (const auto at = Rfc3339(reset)) wait = Until(*at, now);
    } else {
      wait = GoDuration(reset);
    }
    if (!wait) continue;
    if (!earliest || *wait < *earliest) earliest = wait;
    if (TrimWhitespace(header(limit.remaining)) == "0" && (!exhausted || *wait > *exhausted)) {
      exhausted = wait;
    }
  }
  return exhausted ? exhausted : earliest;
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point now) {
  value = TrimWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') return DelaySeconds(value);
  const auto at = ImfFixdate(value);
  if (!at) return std::nullopt;
  return Until(*at, now);
}

std::optional<std::string> RetryAfterForClient(std::string_view value) {
  value = TrimWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    const std::optional<milliseconds> delay = DelaySeconds(value);
    if (!delay) return std::nullopt;
    return std::to_string(std::chrono::ceil<std::chrono::seconds>(*delay).count());
  }
  const auto at = ImfFixdate(value);
  if (!at) return std::nullopt;
  return FormatImfFixdate(*at);
}

}  // namespace switchyard::gateway

#include "http/retry_after.h"

#include <algorithm>
#include <cstdint>

#include "core/strings.h"
#include "core/time_text.h"

namespace switchyard::http {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kMaxSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(kMaxWait).count();

// "120" or "1.5": non-negative seconds.
std::optional<milliseconds> DelaySeconds(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::optional<int> seconds =
      whole.size() > 9 ? std::optional<int>(kMaxSeconds) : ParseDigits(whole);
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

}  // namespace

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point now) {
  value = TrimWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') return DelaySeconds(value);
  const auto at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  return WaitUntil(*at, now);
}

std::optional<std::string> RetryAfterForClient(std::string_view value) {
  value = TrimWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    const std::optional<milliseconds> delay = DelaySeconds(value);
    if (!delay) return std::nullopt;
    return std::to_string(std::chrono::ceil<std::chrono::seconds>(*delay).count());
  }
  const auto at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  return FormatImfFixdate(*at);
}

}  // namespace switchyard::http

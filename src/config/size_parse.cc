#include "config/size_parse.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string>

namespace switchyard::config {
namespace {

struct SizeUnit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array<SizeUnit, 9> kSizeUnits = {{
    {"b", 1},
    {"kb", 1000ull},
    {"mb", 1000ull * 1000},
    {"gb", 1000ull * 1000 * 1000},
    {"tb", 1000ull * 1000 * 1000 * 1000},
    {"kib", 1ull << 10},
    {"mib", 1ull << 20},
    {"gib", 1ull << 30},
    {"tib", 1ull << 40},
}};

bool EqualsIgnoringCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != lower[i]) return false;
  }
  return true;
}

std::optional<std::uint64_t> UnitFactor(std::string_view unit) {
  for (const SizeUnit& candidate : kSizeUnits) {
    if (EqualsIgnoringCase(unit, candidate.name)) return candidate.factor;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  // from_chars accepts a leading '-' but not '+'; YAML users write "+5" rarely, but it is a number.
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> ParseByteSize(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  std::uint64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, number);
  if (ec != std::errc()) return std::nullopt;

  std::string_view unit = text.substr(digits);
  if (unit.empty()) return number;
  if (unit.front() == ' ') unit.remove_prefix(1);
  std::optional<std::uint64_t> factor = UnitFactor(unit);
  if (!factor) return std::nullopt;
  if (number > UINT64_MAX / *factor) return std::nullopt;
  return number * *factor;
}

std::optional<std::int64_t> ParseUsdNanos(std::string_view text, std::int64_t max_whole_dollars) {
  constexpr std::size_t kPlaces = 9;
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || fraction.size() > kPlaces ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  auto digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!digits(whole) || !digits(fraction)) return std::nullopt;
  std::int64_t dollars = 0;
  if (std::from_chars(whole.data(), whole.data() + whole.size(), dollars).ec != std::errc() ||
      dollars > max_whole_dollars) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  const std::string padded = std::string(fraction) + std::string(kPlaces - fraction.size(), '0');
  std::from_chars(padded.data(), padded.data() + padded.size(), nanos);
  return dollars * 1'000'000'000 + nanos;
}

}  // namespace switchyard::config

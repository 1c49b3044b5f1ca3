#include "config/cache_config.h"

#include <charconv>
#include <cmath>

namespace switchyard::config {

std::optional<CacheMode> ParseCacheMode(std::string_view text) {
  if (text == "off") return CacheMode::kOff;
  if (text == "exact") return CacheMode::kExact;
  if (text == "semantic") return CacheMode::kSemantic;
  return std::nullopt;
}

std::optional<double> ParseSimilarityThreshold(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value < 0 ||
      value > 1) {
    return std::nullopt;
  }
  return value;
}

}  // namespace switchyard::config

// `prices:` — per-model price overrides in USD per million tokens, read exactly (decimal text to
// integer nano-dollars, never through binary floating point).
#include <fmt/format.h>

#include <array>
#include <charconv>

#include "config/config_sections.h"

namespace switchyard::config {
namespace {

constexpr std::int64_t kMaxWholeDollars = 1'000'000;  // per million tokens: far above any list price

// "0.15" → 150'000'000 nano-dollars; nullopt for anything but a non-negative decimal with at most
// nine places.
std::optional<std::int64_t> ParseUsdPerMillion(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || fraction.size() > 9 || (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  auto digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!digits(whole) || !digits(fraction) || whole.size() > 7) return std::nullopt;
  std::int64_t dollars = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), dollars);
  if (dollars > kMaxWholeDollars) return std::nullopt;
  std::int64_t nanos = 0;
  const std::string padded = std::string(fraction) + std::string(9 - fraction.size(), '0');
  std::from_chars(padded.data(), padded.data() + padded.size(), nanos);
  return dollars * 1'000'000'000 + nanos;
}

struct ClassField {
  std::string_view key;
  std::optional<std::int64_t> PriceOverride::*field;
};
constexpr std::array<ClassField, 6> kClasses = {{
    {"input", &PriceOverride::input},
    {"cached_input", &PriceOverride::cached_input},
    {"cache_write_5m", &PriceOverride::cache_write_5m},
    {"cache_write_1h", &PriceOverride::cache_write_1h},
    {"output", &PriceOverride::output},
    {"reasoning", &PriceOverride::reasoning},
}};

bool IsConfigured(const std::vector<ProviderConfig>& providers, std::string_view name) {
  for (const ProviderConfig& provider : providers) {
    if (provider.name == name) return true;
  }
  return false;
}

void LoadPrice(const MapEntry& entry, const std::vector<ProviderConfig>& providers,
               std::vector<PriceOverride>* prices, Problems* problems) {
  const std::size_t slash = entry.key.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == entry.key.size()) {
    problems->push_back({entry.line, fmt::format("prices key '{}' must be provider/model",
                                                 entry.key)});
    return;
  }
  PriceOverride price;
  price.provider = entry.key.substr(0, slash);
  price.model = entry.key.substr(slash + 1);
  price.line = entry.line;
  if (!IsConfigured(providers, price.provider)) {
    problems->push_back({entry.line, fmt::format("prices key '{}' names provider '{}', which is "
                                                 "not configured under providers",
                                                 entry.key, price.provider)});
    return;
  }
  std::vector<std::string_view> known;
  for (const ClassField& c : kClasses) known.push_back(c.key);
  MapReader reader(entry.value, "prices." + entry.key, entry.line, known, problems);
  bool any = false;
  for (const ClassField& c : kClasses) {
    const MapEntry* value = reader.Find(c.key);
    if (value == nullptr) continue;
    const auto nanos = value->value.IsScalar() ? ParseUsdPerMillion(value->value.Scalar())
                                               : std::nullopt;
    if (!nanos) {
      reader.Report(value->line, fmt::format("{} must be USD per million tokens, a non-negative "
                                             "decimal with at most 9 places (got '{}')",
                                             reader.Field(c.key),
                                             value->value.IsScalar() ? value->value.Scalar() : ""));
      continue;
    }
    price.*c.field = nanos;
    any = true;
  }
  if (!any) {
    problems->push_back({entry.line, fmt::format("prices.{} sets no price", entry.key)});
    return;
  }
  prices->push_back(std::move(price));
}

}  // namespace

void LoadPrices(const MapEntry* entry, const std::vector<ProviderConfig>& providers,
                std::vector<PriceOverride>* prices, Problems* problems) {
  if (entry == nullptr) return;
  for (const MapEntry& model : ReadMapEntries(entry->value, "prices", entry->line, problems)) {
    LoadPrice(model, providers, prices, problems);
  }
}

}  // namespace switchyard::config

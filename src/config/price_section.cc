// `prices:` — per-model price overrides in USD per million tokens, read exactly (decimal text to
// integer nano-dollars, never through binary floating point).
#include <fmt/format.h>

#include <array>

#include "config/config_sections.h"
#include "config/size_parse.h"

namespace switchyard::config {
namespace {

constexpr std::int64_t kMaxWholeDollars = 1'000'000;  // per million tokens: far above any list price

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
    const auto nanos = value->value.IsScalar()
                           ? ParseUsdNanos(value->value.Scalar(), kMaxWholeDollars)
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

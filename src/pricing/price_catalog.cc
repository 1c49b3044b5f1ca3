#include "pricing/price_catalog.h"

#include <boost/json.hpp>
#include <cstdint>
#include <utility>

namespace switchyard::pricing {
namespace {

namespace bjson = boost::json;
using std::chrono::sys_days;

// Parsing walks the document and stops at the first problem, remembered with its path.
class Reader {
 public:
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  void Fail(const std::string& path, const std::string& what) {
    if (error_.empty()) error_ = "price catalog: " + path + ": " + what;
  }

  const bjson::object* Object(const bjson::value& value, const std::string& path) {
    if (value.is_object()) return &value.get_object();
    Fail(path, "expected an object");
    return nullptr;
  }

  std::optional<std::int64_t> Count(const bjson::object& object, std::string_view key,
                                    const std::string& path) {
    const bjson::value* value = object.if_contains(key);
    if (value == nullptr) return std::nullopt;
    if (value->is_int64() && value->get_int64() >= 0) return value->get_int64();
    if (value->is_uint64() && value->get_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(value->get_uint64());
    }
    Fail(path + "." + std::string(key), "expected a non-negative integer");
    return std::nullopt;
  }

  std::optional<bool> Flag(const bjson::object& object, std::string_view key,
                           const std::string& path) {
    const bjson::value* value = object.if_contains(key);
    if (value == nullptr) return std::nullopt;
    if (value->is_bool()) return value->get_bool();
    Fail(path + "." + std::string(key), "expected true or false");
    return std::nullopt;
  }

  std::string Text(const bjson::object& object, std::string_view key, const std::string& path) {
    const bjson::value* value = object.if_contains(key);
    if (value == nullptr) return {};
    if (value->is_string()) return std::string(value->get_string());
    Fail(path + "." + std::string(key), "expected a string");
    return {};
  }

  // "YYYY-MM-DD" as a UTC day.
  std::optional<sys_days> Day(const bjson::object& object, std::string_view key,
                              const std::string& path) {
    std::string text = Text(object, key, path);
    if (text.empty()) return std::nullopt;
    int y = 0, m = 0, d = 0;
    bool digits = text.size() == 10 && text[4] == '-' && text[7] == '-';
    for (std::size_t i = 0; digits && i < text.size(); ++i) {
      if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) digits = false;
    }
    if (digits) {
      y = std::stoi(text.substr(0, 4));
      m = std::stoi(text.substr(5, 2));
      d = std::stoi(text.substr(8, 2));
    }
    std::chrono::year_month_day day{std::chrono::year{y},
                                    std::chrono::month(static_cast<unsigned>(m)),
                                    std::chrono::day(static_cast<unsigned>(d))};
    if (!digits || !day.ok()) {
      Fail(path + "." + std::string(key), "expected a date YYYY-MM-DD");
      return std::nullopt;
    }
    return sys_days{day};
  }

  PriceSet Prices(const bjson::value& value, const std::string& path) {
    PriceSet set;
    const bjson::object* object = Object(value, path);
    if (object == nullptr) return set;
    set.input = Count(*object, "input", path);
    set.cached_input = Count(*object, "cached_input", path);
    set.cache_write_5m = Count(*object, "cache_write_5m", path);
    set.cache_write_1h = Count(*object, "cache_write_1h", path);
    set.output = Count(*object, "output", path);
    set.reasoning = Count(*object, "reasoning", path);
    return set;
  }

  ModelPrice Period(const bjson::object& object, const std::string& path) {
    ModelPrice period;
    period.effective_from = Day(object, "from", path);
    if (const bjson::value* prices = object.if_contains("prices")) {
      period.base = Prices(*prices, path + ".prices");
    }
    const bjson::value* tiers = object.if_contains("tiers");
    if (tiers == nullptr) return period;
    if (!tiers->is_array()) {
      Fail(path + ".tiers", "expected an array");
      return period;
    }
    for (std::size_t i = 0; i < tiers->get_array().size() && !failed(); ++i) {
      std::string tier_path = path + ".tiers[" + std::to_string(i) + "]";
      const bjson::object* tier = Object(tiers->get_array()[i], tier_path);
      if (tier == nullptr) break;
      std::optional<std::int64_t> above = Count(*tier, "above", tier_path);
      if (!above || (!period.tiers.empty() && *above <= period.tiers.back().above_prompt_tokens)) {
        Fail(tier_path + ".above", "expected a threshold above the previous tier's");
        break;
      }
      const bjson::value* prices = tier->if_contains("prices");
      period.tiers.push_back(
          PriceTier{*above, prices ? Prices(*prices, tier_path + ".prices") : PriceSet{}});
    }
    return period;
  }

  CatalogModel Model(const bjson::object& object, const std::string& path) {
    CatalogModel model;
    model.mode = Text(object, "mode", path);
    model.origin = Text(object, "origin", path);
    model.deprecation_date = Day(object, "deprecation_date", path);
    model.deprecated = Flag(object, "deprecated", path).value_or(false);
    if (const bjson::value* caps_value = object.if_contains("caps")) {
      if (const bjson::object* caps = Object(*caps_value, path + ".caps")) {
        std::string caps_path = path + ".caps";
        model.capabilities.context_window = Count(*caps, "context_window", caps_path);
        model.capabilities.max_output_tokens = Count(*caps, "max_output_tokens", caps_path);
        model.capabilities.tools = Flag(*caps, "tools", caps_path);
        model.capabilities.vision = Flag(*caps, "vision", caps_path);
        model.capabilities.json_schema = Flag(*caps, "json_schema", caps_path);
      }
    }
    const bjson::value* periods = object.if_contains("periods");
    if (periods == nullptr) return model;
    if (!periods->is_array()) {
      Fail(path + ".periods", "expected an array");
      return model;
    }
    for (std::size_t i = 0; i < periods->get_array().size() && !failed(); ++i) {
      std::string period_path = path + ".periods[" + std::to_string(i) + "]";
      const bjson::object* period_object = Object(periods->get_array()[i], period_path);
      if (period_object == nullptr) break;
      ModelPrice period = Period(*period_object, period_path);
      bool in_order = model.periods.empty()
                          ? true
                          : period.effective_from &&
                                (!model.periods.back().effective_from ||
                                 *model.periods.back().effective_from < *period.effective_from);
      if (!in_order) {
        Fail(period_path + ".from", "expected a date after the previous period's");
        break;
      }
      model.periods.push_back(std::move(period));
    }
    return model;
  }

 private:
  std::string error_;
};

}  // namespace

const PriceSet& ModelPrice::ForPrompt(std::int64_t prompt_total) const {
  const PriceSet* chosen = &base;
  for (const PriceTier& tier : tiers) {
    if (prompt_total > tier.above_prompt_tokens) chosen = &tier.prices;
  }
  return *chosen;
}

const ModelPrice* CatalogModel::PriceAt(std::chrono::system_clock::time_point at) const {
  sys_days day = std::chrono::floor<std::chrono::days>(at);
  const ModelPrice* in_force = nullptr;
  for (const ModelPrice& period : periods) {
    if (period.effective_from && *period.effective_from > day) break;
    in_force = &period;
  }
  return in_force;
}

Result<PriceCatalog> PriceCatalog::Parse(std::string_view json_text) {
  boost::system::error_code ec;
  bjson::value document = bjson::parse(json_text, ec);
  if (ec) return Error::Config("price catalog: not valid JSON: " + ec.message());
  Reader reader;
  PriceCatalog catalog;
  const bjson::object* root = reader.Object(document, "(root)");
  const bjson::value* models = root ? root->if_contains("models") : nullptr;
  if (root != nullptr && models == nullptr) reader.Fail("models", "missing");
  const bjson::object* providers = models ? reader.Object(*models, "models") : nullptr;
  if (root != nullptr) {
    catalog.generated_ = reader.Text(*root, "generated", "generated");
    if (const bjson::value* sources = root->if_contains("sources");
        sources && sources->is_array()) {
      for (const bjson::value& source_value : sources->get_array()) {
        const bjson::object* source = reader.Object(source_value, "sources[]");
        if (source == nullptr) break;
        catalog.sources_.push_back(CatalogSource{reader.Text(*source, "name", "sources[]"),
                                                 reader.Text(*source, "repository", "sources[]"),
                                                 reader.Text(*source, "commit", "sources[]"),
                                                 reader.Text(*source, "date", "sources[]")});
      }
    }
  }
  if (providers != nullptr) {
    for (const auto& [provider, provider_value] : *providers) {
      std::string provider_path = "models." + std::string(provider);
      const bjson::object* provider_models = reader.Object(provider_value, provider_path);
      if (provider_models == nullptr) break;
      ModelMap& into = catalog.providers_[std::string(provider)];
      for (const auto& [model_id, model_value] : *provider_models) {
        std::string model_path = provider_path + "." + std::string(model_id);
        const bjson::object* model = reader.Object(model_value, model_path);
        if (model == nullptr) break;
        into.insert_or_assign(std::string(model_id), reader.Model(*model, model_path));
        if (reader.failed()) break;
      }
      if (reader.failed()) break;
    }
  }
  if (reader.failed()) return Error::Config(reader.error());
  return catalog;
}

const CatalogModel* PriceCatalog::FindModel(std::string_view provider,
                                            std::string_view model) const {
  auto models = providers_.find(provider);
  if (models == providers_.end()) return nullptr;
  auto entry = models->second.find(model);
  return entry == models->second.end() ? nullptr : &entry->second;
}

const ModelPrice* PriceCatalog::Find(std::string_view provider, std::string_view model,
                                     std::chrono::system_clock::time_point at) const {
  const CatalogModel* entry = FindModel(provider, model);
  return entry ? entry->PriceAt(at) : nullptr;
}

const Capabilities* PriceCatalog::FindCapabilities(std::string_view provider,
                                                   std::string_view model) const {
  const CatalogModel* entry = FindModel(provider, model);
  return entry ? &entry->capabilities : nullptr;
}

void PriceCatalog::Put(std::string provider, std::string model, CatalogModel entry) {
  providers_[std::move(provider)].insert_or_assign(std::move(model), std::move(entry));
}

void PriceCatalog::MergeFrom(const PriceCatalog& other) {
  for (const auto& [provider, models] : other.providers_) {
    for (const auto& [model, entry] : models) providers_[provider].insert_or_assign(model, entry);
  }
}

std::size_t PriceCatalog::size() const {
  std::size_t total = 0;
  for (const auto& [provider, models] : providers_) total += models.size();
  return total;
}

std::size_t PriceCatalog::CountModels(std::string_view provider) const {
  auto models = providers_.find(provider);
  return models == providers_.end() ? 0 : models->second.size();
}

std::vector<std::string> PriceCatalog::CurrentModelIds(std::string_view provider) const {
  std::vector<std::string> ids;
  auto models = providers_.find(provider);
  if (models == providers_.end()) return ids;
  for (const auto& [id, model] : models->second) {
    if (!model.deprecated) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> PriceCatalog::Providers() const {
  std::vector<std::string> names;
  for (const auto& [provider, models] : providers_) names.push_back(provider);
  return names;
}

std::string PriceCatalog::Describe() const {
  std::string text =
      "generated " + (generated_.empty() ? std::string("(unknown date)") : generated_);
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const CatalogSource& source = sources_[i];
    text += (i == 0 ? " from " : ", ") + source.name + " " + source.repository + "@" +
            source.commit.substr(0, 12) + " (" + source.date + ")";
  }
  return text;
}

}  // namespace switchyard::pricing

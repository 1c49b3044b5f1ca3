#include "governance/policy_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "config/size_parse.h"
#include "core/time_text.h"
#include "ledger/ledger_time.h"
#include "pricing/money.h"

namespace switchyard::governance {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxTags = 64;
constexpr std::size_t kMaxModels = 1000;
// A JSON number is exact as nano-dollars below this many dollars (2^53 nano-dollars).
constexpr double kMaxExactDollars = 9'000'000;

Error Bad(std::string message, std::string field) {
  return Error::InvalidRequest(std::move(message), std::move(field));
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

Result<std::string> ReadText(const json::value& value, std::string_view field) {
  if (!value.is_string() || value.as_string().size() > kMaxText ||
      HasControlCharacter(value.as_string())) {
    return Bad(fmt::format("{} must be a string of at most {} characters, without control "
                           "characters", field, kMaxText),
               std::string(field));
  }
  return std::string(value.as_string());
}

Result<std::int64_t> ReadUsd(const json::value& value) {
  if (value.is_string()) {
    auto nanos = config::ParseUsdNanos(std::string_view(value.as_string()),
                                       config::kMaxBudgetWholeDollars);
    if (nanos && *nanos > 0) return *nanos;
  } else if (value.is_number()) {
    const double usd = value.to_number<double>();
    if (std::isfinite(usd) && usd > 0 && usd < kMaxExactDollars) {
      return static_cast<std::int64_t>(std::llround(usd * 1e9));
    }
  }
  return Bad("budget.usd must be a positive amount of USD (a number below 9000000, or a decimal "
             "string with at most 9 places)", "budget.usd");
}

Result<config::BudgetLimit> ReadBudget(const json::object& budget, std::string_view path) {
  config::BudgetLimit limit;
  bool has_usd = false;
  for (const auto& [field, value] : budget) {
    if (field == "usd") {
      auto usd = ReadUsd(value);
      if (!usd) return usd.error();
      limit.nanos = *usd;
      has_usd = true;
    } else if (field == "period") {
      auto period = value.is_string() ? config::ParseBudgetPeriod(value.as_string()) : std::nullopt;
      if (!period) return Bad(fmt::format("{}.period must be day, week, month or total", path), "budget.period");
      limit.period = *period;
    } else if (field == "mode") {
      if (!value.is_string() || (value.as_string() != "hard" && value.as_string() != "soft")) {
        return Bad(fmt::format("{}.mode must be hard or soft", path), "budget.mode");
      }
      limit.hard = value.as_string() == "hard";
    } else if (field != "scope") {
      return Bad(fmt::format("{} has an unknown field '{}' (usd, period, mode)", path,
                             std::string_view(field).substr(0, 40)), std::string(path));
    }
  }
  if (!has_usd) return Bad(fmt::format("{} needs usd", path), "budget.usd");
  return limit;
}

Result<std::int64_t> ReadPerMinute(const json::value& value, std::string_view field) {
  if (value.is_int64() && value.as_int64() >= 1 && value.as_int64() <= config::kMaxPerMinute) {
    return value.as_int64();
  }
  if (value.is_uint64() && value.as_uint64() >= 1 &&
      value.as_uint64() <= static_cast<std::uint64_t>(config::kMaxPerMinute)) {
    return static_cast<std::int64_t>(value.as_uint64());
  }
  return Bad(fmt::format("limits.{} must be a whole number from 1 to {}", field,
                         config::kMaxPerMinute), "limits." + std::string(field));
}

Result<config::RateLimits> ReadLimits(const json::object& limits) {
  config::RateLimits out;
  for (const auto& [field, value] : limits) {
    std::optional<std::int64_t>* slot = field == "rpm"          ? &out.rpm
                                        : field == "input_tpm"  ? &out.input_tpm
                                        : field == "output_tpm" ? &out.output_tpm
                                                                : nullptr;
    if (slot == nullptr) {
      return Bad(fmt::format("limits has an unknown field '{}' (rpm, input_tpm, output_tpm)",
                             std::string_view(field).substr(0, 40)), "limits");
    }
    auto n = ReadPerMinute(value, field);
    if (!n) return n.error();
    *slot = *n;
  }
  return out;
}

Status ReadTags(const json::value& value, std::map<std::string, std::string>* tags) {
  if (!value.is_object() || value.as_object().size() > kMaxTags) {
    return Bad(fmt::format("tags must be an object of at most {} string values", kMaxTags), "tags");
  }
  tags->clear();
  for (const auto& [name, tag] : value.as_object()) {
    auto text = ReadText(tag, "tags." + std::string(name).substr(0, 40));
    if (!text || name.empty() || name.size() > kMaxText) {
      return Bad("tags must map non-empty names to strings", "tags");
    }
    (*tags)[std::string(name)] = std::move(*text);
  }
  return {};
}

// A list of names: `models` (model or route names) or `guardrails` (names under the config's
// `guardrails:`).
Status ReadNames(const json::value& value, std::string_view field, std::string_view what,
                 std::vector<std::string>* names) {
  if (!value.is_array() || value.as_array().size() > kMaxModels) {
    return Bad(fmt::format("{} must be a list of at most {} {}", field, kMaxModels, what),
               std::string(field));
  }
  names->clear();
  for (const json::value& name : value.as_array()) {
    auto text = ReadText(name, fmt::format("{}[]", field));
    if (!text || text->empty()) {
      return Bad(fmt::format("{} must list non-empty names", field), std::string(field));
    }
    names->push_back(std::move(*text));
  }
  return {};
}

Status ReadExpiry(const json::value& value, config::KeyPolicy* policy) {
  if (value.is_null()) {
    policy->expires_at.reset();
    return {};
  }
  policy->expires_at = value.is_string() ? ParseRfc3339(value.as_string()) : std::nullopt;
  if (!policy->expires_at) {
    return Bad("expires_at must be an RFC 3339 time such as 2027-01-01T00:00:00Z, or null",
               "expires_at");
  }
  return {};
}

// One field of a key; false when the name is not a key field.
Result<bool> ApplyField(std::string_view field, const json::value& value, std::string* name,
                        config::KeyPolicy* policy) {
  if (field == "name") {
    auto text = ReadText(value, "name");
    if (!text || text->empty()) return Bad("name must be a non-empty string", "name");
    *name = std::move(*text);
  } else if (field == "team") {
    auto text = ReadText(value, "team");
    if (!text) return text.error();
    policy->team = std::move(*text);
  } else if (field == "tags") {
    if (Status read = ReadTags(value, &policy->tags); !read.ok()) return read.error();
  } else if (field == "models") {
    if (Status read = ReadNames(value, "models", "model or route names", &policy->models);
        !read.ok()) {
      return read.error();
    }
  } else if (field == "guardrails") {
    if (Status read = ReadNames(value, "guardrails", "guardrail names", &policy->guardrails);
        !read.ok()) {
      return read.error();
    }
  } else if (field == "budget") {
    if (value.is_null()) {
      policy->budget.reset();
    } else if (!value.is_object()) {
      return Bad("budget must be { usd, period, mode } or null", "budget");
    } else {
      auto budget = ReadBudget(value.as_object(), "budget");
      if (!budget) return budget.error();
      policy->budget = *budget;
    }
  } else if (field == "limits") {
    if (value.is_null()) {
      policy->limits = {};
    } else if (!value.is_object()) {
      return Bad("limits must be { rpm, input_tpm, output_tpm } or null", "limits");
    } else {
      auto limits = ReadLimits(value.as_object());
      if (!limits) return limits.error();
      policy->limits = *limits;
    }
  } else if (field == "expires_at") {
    if (Status read = ReadExpiry(value, policy); !read.ok()) return read.error();
  } else {
    return false;
  }
  return true;
}

// Money in a view: a marker that SerializeView turns into the exact decimal number. Control
// characters are refused in every string a user gives (ReadText), so only a marker holds one.
constexpr std::string_view kUsdMarker = "\x01usd:";

json::value UsdNumber(std::int64_t nanos) { return json::value(fmt::format("{}{}", kUsdMarker, nanos)); }

json::object BudgetObject(const config::BudgetLimit& limit) {
  return {{"usd", UsdNumber(limit.nanos)},
          {"period", config::ToString(limit.period)},
          {"mode", limit.hard ? "hard" : "soft"}};
}

json::object LimitsObject(const config::RateLimits& limits) {
  json::object out;
  if (limits.rpm) out["rpm"] = *limits.rpm;
  if (limits.input_tpm) out["input_tpm"] = *limits.input_tpm;
  if (limits.output_tpm) out["output_tpm"] = *limits.output_tpm;
  return out;
}

json::value TimeOrNull(const std::optional<std::chrono::system_clock::time_point>& at) {
  if (!at) return nullptr;
  return json::value(ledger::FormatIsoUtcMillis(ledger::ToEpochMillis(*at)));
}

json::value MillisOrNull(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return json::value(ledger::FormatIsoUtcMillis(*ms));
}

// The policy's fields as stored and shown; budget `usd` exact as a string in the stored document.
json::object PolicyObject(const std::string& name, const config::KeyPolicy& policy,
                          bool exact_usd) {
  json::object tags;
  for (const auto& [tag, value] : policy.tags) tags[tag] = value;
  json::array models;
  for (const std::string& model : policy.models) models.push_back(json::value(model));
  json::object out = {{"name", name}, {"team", policy.team}, {"tags", std::move(tags)},
                      {"models", std::move(models)}};
  if (policy.budget) {
    json::object budget = BudgetObject(*policy.budget);
    if (exact_usd) budget["usd"] = pricing::FormatUsd(policy.budget->nanos);
    out["budget"] = std::move(budget);
  } else {
    out["budget"] = nullptr;
  }
  out["limits"] = policy.limits.empty() ? json::value(nullptr) : json::value(LimitsObject(policy.limits));
  out["expires_at"] = TimeOrNull(policy.expires_at);
  if (!policy.guardrails.empty()) {  // shown only when set: most keys have none
    json::array guardrails;
    for (const std::string& name : policy.guardrails) guardrails.push_back(json::value(name));
    out["guardrails"] = std::move(guardrails);
  }
  return out;
}

}  // namespace

std::string SerializeView(const json::value& view) {
  std::string text = json::serialize(view);
  // The serializer writes the marker's \x01 as \u0001.
  const std::string marker = "\"\\u0001usd:";
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (std::size_t found = text.find(marker); found != std::string::npos;
       found = text.find(marker, at)) {
    out.append(text, at, found - at);
    const std::size_t digits = found + marker.size();
    const std::size_t end = text.find('"', digits);
    std::int64_t nanos = 0;
    std::from_chars(text.data() + digits, text.data() + end, nanos);
    out += pricing::FormatUsd(nanos);
    at = end + 1;
  }
  out.append(text, at);
  return out;
}

Result<json::object> ParseObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Error::InvalidRequest(fmt::format("{} must be a JSON object", what));
  }
  return std::move(value.as_object());
}

Status ApplyKeyFields(const json::object& fields, bool require_name, std::string* name,
                      config::KeyPolicy* policy) {
  for (const auto& [field, value] : fields) {
    auto applied = ApplyField(field, value, name, policy);
    if (!applied) return applied.error();
    if (!*applied) {
      return Bad(fmt::format("unknown field '{}': a key takes name, team, tags, models, budget, "
                             "limits, expires_at and guardrails", std::string_view(field).substr(0, 40)),
                 std::string(field).substr(0, 40));
    }
  }
  if (require_name && name->empty()) return Bad("a key needs a name", "name");
  return {};
}

std::string PolicyDocument(const std::string& name, const config::KeyPolicy& policy) {
  return SerializeView(PolicyObject(name, policy, /*exact_usd=*/true));
}

json::object KeyView(const KeyRecord& key, std::optional<std::int64_t> spent_nanos) {
  json::object out = {{"id", key.id}, {"object", "key"}};
  for (auto& [field, value] : PolicyObject(key.name, key.policy, /*exact_usd=*/false)) {
    out[field] = value;
  }
  out["prefix"] = key.prefix.empty() ? json::value(nullptr) : json::value(key.prefix);
  out["source"] = key.from_config ? "config" : "admin";
  out["created_at"] = key.from_config ? json::value(nullptr) : MillisOrNull(key.created_ms);
  out["updated_at"] = key.from_config ? json::value(nullptr) : MillisOrNull(key.updated_ms);
  out["revoked_at"] = MillisOrNull(key.revoked_ms);
  if (spent_nanos) out["spent_usd"] = UsdNumber(*spent_nanos);
  return out;
}

Result<config::ScopedBudget> ReadScopedBudget(const json::object& fields) {
  const json::value* scope = fields.if_contains("scope");
  if (scope == nullptr || !scope->is_string()) {
    return Bad("a budget needs scope: global, team:NAME or tag:KEY=VALUE", "scope");
  }
  if (auto problem = config::BudgetScopeProblem(scope->as_string())) return Bad(*problem, "scope");
  auto limit = ReadBudget(fields, "the budget");
  if (!limit) return limit.error();
  return config::ScopedBudget{std::string(scope->as_string()), *limit};
}

std::string BudgetDocument(const config::BudgetLimit& limit) {
  json::object doc = BudgetObject(limit);
  doc["usd"] = pricing::FormatUsd(limit.nanos);
  return json::serialize(doc);
}

Result<config::BudgetLimit> ReadBudgetDocument(const std::string& text) {
  auto doc = ParseObject(text, "a stored budget");
  if (!doc) return doc.error();
  return ReadBudget(*doc, "the stored budget");
}

json::object BudgetView(const config::ScopedBudget& budget, bool from_config,
                        std::optional<std::int64_t> spent_nanos) {
  json::object out = BudgetObject(budget.limit);
  out["scope"] = budget.scope;
  out["source"] = from_config ? "config" : "admin";
  if (spent_nanos) out["spent_usd"] = UsdNumber(*spent_nanos);
  return out;
}

}  // namespace switchyard::governance

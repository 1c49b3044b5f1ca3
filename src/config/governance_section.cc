// The YAML side of config/governance_config.h: a key's policy fields (under each `keys:` entry),
// `governance:` and `state:`.
#include <fmt/format.h>

#include "config/config_sections.h"
#include "config/size_parse.h"
#include "core/time_text.h"

namespace switchyard::config {
namespace {

// `usd`: exact (never through a double), positive, into nano-dollars.
std::optional<std::int64_t> ReadUsd(const MapReader& reader, std::string_view key) {
  const MapEntry* entry = reader.Find(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  const std::optional<std::int64_t> nanos = ParseUsdNanos(text, kMaxBudgetWholeDollars);
  if (nanos && *nanos > 0) return nanos;
  reader.Report(entry->line, fmt::format("{} must be a positive amount of USD with at most 9 "
                                         "decimals (got '{}')",
                                         reader.Field(key),
                                         entry->value.IsScalar() ? text.substr(0, 40)
                                                                 : "a map or a list"));
  return std::nullopt;
}

std::optional<BudgetLimit> ReadBudgetFields(const MapReader& budget) {
  if (!budget.is_map()) return std::nullopt;
  const std::optional<std::int64_t> usd = ReadUsd(budget, "usd");
  if (!usd) {
    if (budget.Missing("usd")) budget.Report(budget.line(), budget.path() + " needs usd");
    return std::nullopt;
  }
  BudgetLimit limit;
  limit.nanos = *usd;
  if (auto period = budget.OneOf("period", {"day", "week", "month", "total"})) {
    limit.period = *ParseBudgetPeriod(*period);
  }
  if (auto mode = budget.OneOf("mode", {"hard", "soft"})) limit.hard = *mode == "hard";
  return limit;
}

RateLimits ReadLimitFields(const MapReader& limits) {
  RateLimits out;
  out.rpm = limits.Integer("rpm", 1, kMaxPerMinute);
  out.input_tpm = limits.Integer("input_tpm", 1, kMaxPerMinute);
  out.output_tpm = limits.Integer("output_tpm", 1, kMaxPerMinute);
  return out;
}

constexpr std::string_view kBudgetFields[] = {"usd", "period", "mode"};
constexpr std::string_view kLimitFields[] = {"rpm", "input_tpm", "output_tpm"};
constexpr std::span<const std::string_view> kBudgetKeys(kBudgetFields);
constexpr std::span<const std::string_view> kLimitKeys(kLimitFields);

void ReadTags(const MapReader& key, std::map<std::string, std::string>* tags, Problems* problems) {
  const MapEntry* entry = key.Find("tags");
  if (entry == nullptr) return;
  for (const MapEntry& tag : ReadMapEntries(entry->value, key.Field("tags"), entry->line, problems)) {
    if (!tag.value.IsScalar()) {
      AddProblem(problems, tag.line, fmt::format("{}.{} must be a string", key.Field("tags"), tag.key));
      continue;
    }
    (*tags)[tag.key] = tag.value.Scalar();
  }
}

void ReadExpiry(const MapReader& key, KeyPolicy* policy) {
  auto text = key.String("expires_at");
  if (!text) return;
  policy->expires_at = ParseRfc3339(*text);
  if (!policy->expires_at) {
    key.Report(key.Find("expires_at")->line,
               fmt::format("{} must be an RFC 3339 time such as 2027-01-01T00:00:00Z (got '{}')",
                           key.Field("expires_at"), text->substr(0, 40)));
  }
}

// `budgets:` or `limits:` of `governance:` — a map of scope → fields.
template <typename Item, typename Read>
void ReadScoped(const MapReader& governance, std::string_view key,
                std::optional<std::string> (*problem_of)(std::string_view),
                std::vector<Item>* out, Read read, Problems* problems) {
  const MapEntry* entry = governance.Find(key);
  if (entry == nullptr) return;
  const std::string path = governance.Field(key);
  for (const MapEntry& scoped : ReadMapEntries(entry->value, path, entry->line, problems)) {
    if (auto problem = problem_of(scoped.key)) {
      AddProblem(problems, scoped.line, fmt::format("{}: {}", path, *problem));
      continue;
    }
    if (auto value = read(scoped, FieldName(path, scoped.key))) out->push_back({scoped.key, *value});
  }
}

}  // namespace

std::span<const std::string_view> KeyPolicyFields() {
  static constexpr std::string_view kFields[] = {"team", "tags", "models", "budget", "limits",
                                                 "expires_at", "guardrails"};
  return kFields;
}

void LoadKeyPolicy(const MapReader& key, KeyPolicy* policy, Problems* problems) {
  if (auto team = key.String("team")) policy->team = *team;
  ReadTags(key, &policy->tags, problems);
  if (auto models = key.StringList("models")) policy->models = *models;
  if (auto guardrails = key.StringList("guardrails")) policy->guardrails = *guardrails;
  if (const MapEntry* budget = key.Find("budget")) {
    policy->budget = ReadBudgetFields(
        MapReader(budget->value, key.Field("budget"), budget->line, kBudgetKeys, problems));
  }
  if (const MapEntry* limits = key.Find("limits")) {
    policy->limits = ReadLimitFields(
        MapReader(limits->value, key.Field("limits"), limits->line, kLimitKeys, problems));
  }
  ReadExpiry(key, policy);
}

void LoadGovernance(const MapReader& top, GovernanceConfig* governance, Problems* problems) {
  MapReader reader = top.Child(
      "governance", {"unknown_price", "exempt_free_models", "budgets", "limits", "refresh_ms"});
  if (const MapEntry* unknown = reader.Find("unknown_price")) {
    if (unknown->value.IsMap()) {
      MapReader reserve = reader.Child("unknown_price", {"reserve_usd"});
      governance->unknown_price_reserve_nanos = ReadUsd(reserve, "reserve_usd");
    } else if (!unknown->value.IsScalar() || unknown->value.Scalar() != "refuse") {
      reader.Report(unknown->line, reader.Field("unknown_price") +
                                       " must be refuse or { reserve_usd: N }");
    }
  }
  if (auto exempt = reader.OneOf("exempt_free_models", {"true", "false"})) {
    governance->exempt_free_models = *exempt == "true";
  }
  if (auto refresh = reader.Duration("refresh_ms")) governance->refresh = *refresh;
  ReadScoped(reader, "budgets", &BudgetScopeProblem, &governance->budgets,
             [problems](const MapEntry& entry, const std::string& path) {
               return ReadBudgetFields(MapReader(entry.value, path, entry.line, kBudgetKeys, problems));
             }, problems);
  ReadScoped(reader, "limits", &LimitScopeProblem, &governance->limits,
             [problems](const MapEntry& entry, const std::string& path) -> std::optional<RateLimits> {
               return ReadLimitFields(MapReader(entry.value, path, entry.line, kLimitKeys, problems));
             }, problems);
}

void LoadState(const MapReader& top, StateConfig* state) {
  MapReader reader = top.Child("state", {"backend", "url", "on_redis_down"});
  if (auto backend = reader.OneOf("backend", {"memory", "redis"})) state->backend = *backend;
  if (auto url = reader.SecretValue("url")) state->url = std::move(*url);
  if (state->backend == "redis" && state->url.empty()) {
    reader.Report(reader.Find("backend")->line,
                  "state.backend redis needs state.url (redis://[:PASSWORD@]HOST[:PORT][/DB])");
  }
  MapReader down = reader.Child("on_redis_down", {"rate_limits", "budgets"});
  if (auto limits = down.OneOf("rate_limits", {"open", "closed"})) {
    state->rate_limits_open_when_down = *limits == "open";
  }
  if (auto budgets = down.OneOf("budgets", {"open", "closed"})) {
    state->budgets_open_when_down = *budgets == "open";
  }
}

}  // namespace switchyard::config

// The governance's configuration (CONTRACT.md "Governance"): what a gateway key may do — its team,
// tags, allowed models, budget, rate limits and expiry — whether it comes from the config file's
// `keys:` or is a virtual key made through the admin API; the budgets and rate limits above keys
// (`governance:`); and where the live counters are kept (`state:`). Plain values, with the few
// parsers both the YAML loader and the admin API's JSON reader use, so that the two read a field
// the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace switchyard::config {

// UTC calendar periods; weeks start on Monday (ISO 8601). `total` never resets.
enum class BudgetPeriod { kDay, kWeek, kMonth, kTotal };
std::optional<BudgetPeriod> ParseBudgetPeriod(std::string_view text);
std::string_view ToString(BudgetPeriod period);

// The largest budget, in whole dollars (far beyond any real one; keeps sums in an int64).
inline constexpr std::int64_t kMaxBudgetWholeDollars = 1'000'000'000;

// A spending cap: `hard` refuses a call that could pass it (402, before any upstream call);
// soft only alerts (a log line, a metric, the ledger call marked).
struct BudgetLimit {
  std::int64_t nanos = 0;  // USD × 1e9
  BudgetPeriod period = BudgetPeriod::kMonth;
  bool hard = true;
};

// Per minute; empty: no limit of that kind.
struct RateLimits {
  std::optional<std::int64_t> rpm;         // requests
  std::optional<std::int64_t> input_tpm;   // prompt tokens (estimated before the call)
  std::optional<std::int64_t> output_tpm;  // output tokens (counted after the call)
  bool empty() const { return !rpm && !input_tpm && !output_tpm; }
};
inline constexpr std::int64_t kMaxPerMinute = 1'000'000'000;

// What a key may do. Empty `models`: every model and route.
struct KeyPolicy {
  std::string team;
  std::map<std::string, std::string> tags;
  std::vector<std::string> models;  // "provider/model", "provider/*", a route name, "*"
  std::optional<BudgetLimit> budget;
  RateLimits limits;
  std::optional<std::chrono::system_clock::time_point> expires_at;
  std::vector<std::string> guardrails;  // names under the config's `guardrails:`
};

// A budget above keys. Scope: "global", "team:NAME" or "tag:KEY=VALUE" (a key's tag).
struct ScopedBudget {
  std::string scope;
  BudgetLimit limit;
};
// Whether `scope` is one of the budget scopes above; the reason when not.
std::optional<std::string> BudgetScopeProblem(std::string_view scope);

// Rate limits above keys. Scope: "team:NAME" (shared by the team's keys) or
// "model:provider/model" (every call that reaches that model, whatever the key).
struct ScopedLimits {
  std::string scope;
  RateLimits limits;
};
std::optional<std::string> LimitScopeProblem(std::string_view scope);

// `governance:` — how budgets treat what cannot be priced, the budgets and limits above keys,
// and how soon a change made elsewhere (another gateway, `switchyard keys`) is seen.
struct GovernanceConfig {
  // A call whose worst case has no known price: refused by a hard budget (`unknown_price:
  // refuse`, the default), or reserved as this many nano-dollars per attempt
  // (`unknown_price: { reserve_usd: N }`).
  std::optional<std::int64_t> unknown_price_reserve_nanos;
  bool exempt_free_models = true;  // a call whose every target is priced at 0 passes any budget
  std::vector<ScopedBudget> budgets;
  std::vector<ScopedLimits> limits;
  std::chrono::milliseconds refresh{250};  // how often the key and budget tables are polled
};

// `state:` — where spend, reservations and rate-limit counters live: in this process (`memory`),
// or in Redis when several gateways share them; and what a call meets when Redis is unreachable.
struct StateConfig {
  std::string backend = "memory";  // memory | redis
  Secret url;                      // redis://[:password@]host[:port][/db]
  bool rate_limits_open_when_down = true;  // `on_redis_down.rate_limits: open | closed`
  bool budgets_open_when_down = false;     // `on_redis_down.budgets: open | closed`
};

}  // namespace switchyard::config

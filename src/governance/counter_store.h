// CounterStore: where the governance's live counters are — rate limits (one GCRA state per limit)
// and spend (per scope and UTC day, plus the reservations of calls in flight). One instance keeps
// them in memory (memory_counter_store.h); several share them in Redis (`state: { backend: redis }`).
// Every operation on a list is all-or-nothing: a call is admitted by all its limits at once or by
// none, so a refusal never leaves a half-taken reservation behind.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/governance_config.h"
#include "core/asio.h"
#include "core/result.h"
#include "governance/budget_period.h"

namespace switchyard::governance {

enum class RateKind { kRequests, kInputTokens, kOutputTokens };
std::string_view ToString(RateKind kind);  // requests | input-tokens | output-tokens

// One limit: "key:ID", "team:NAME" or "model:provider/model", of one kind, per minute.
struct RateLimit {
  std::string scope;
  RateKind kind = RateKind::kRequests;
  std::int64_t per_minute = 0;
};

struct RateUse {
  RateLimit limit;
  std::int64_t amount = 0;  // 0: only that there is room (output tokens, before the call)
};

struct RateState {
  RateLimit limit;
  std::int64_t remaining = 0;
  std::int64_t reset_ms = 0;
};

struct RateVerdict {
  bool allowed = true;
  std::vector<RateState> states;  // one per use, as it stands after the decision
  std::size_t refused = 0;        // when refused: the use that did not fit
  std::int64_t retry_after_ms = 0;
};

// A budget as a call meets it: the scope's limit and the period window it counts in now.
struct BudgetCheck {
  std::string scope;  // "key:ID", "team:NAME", "tag:K=V", "global"
  config::BudgetLimit limit;
  PeriodWindow window;
};

struct BudgetVerdict {
  bool allowed = true;
  std::size_t refused = 0;             // when refused: the hard budget it would pass
  std::vector<std::size_t> soft_over;  // soft budgets this call passes (allowed, alerted)
  std::int64_t spent_nanos = 0;        // refused: that budget's spend and reservations so far
};

using TimePoint = std::chrono::system_clock::time_point;

class CounterStore {
 public:
  virtual ~CounterStore() = default;

  // Takes every use, or none when one does not fit.
  virtual Task<Result<RateVerdict>> TakeRates(std::vector<RateUse> uses, TimePoint now) = 0;
  // Counts uses measured afterwards (output tokens; input tokens beyond the estimate); never
  // refuses — a call over its limit makes the next ones wait.
  virtual Task<Status> AddRates(std::vector<RateUse> uses, TimePoint now) = 0;

  // Reserves `nanos` against every scope of `checks` when no hard budget would pass its limit
  // (spend in the window + reservations + `nanos`); else reserves nothing.
  virtual Task<Result<BudgetVerdict>> Reserve(std::vector<BudgetCheck> checks,
                                              std::int64_t nanos) = 0;
  // Replaces a reservation of `reserved` on each of `scopes` by the real cost, counted on the UTC
  // day of `day_of` (the call's start).
  virtual Task<Status> Settle(std::vector<std::string> scopes, std::int64_t reserved,
                              std::int64_t actual, TimePoint day_of) = 0;

  // Gives a reservation back without waiting (a call that ended without settling); never blocks.
  virtual void ReleaseDetached(std::vector<std::string> scopes, std::int64_t reserved) = 0;

  // The spend of `scope` in `window` (reservations not included).
  virtual Task<Result<std::int64_t>> Spent(std::string scope, PeriodWindow window) = 0;

  // At start: spend already in the ledger, per scope and UTC day (days since the epoch).
  virtual Status LoadSpent(const std::string& scope, std::int64_t day, std::int64_t nanos) = 0;
};

}  // namespace switchyard::governance

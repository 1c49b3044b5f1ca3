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

// What a call holds against its budgets while it runs.
struct Reservation {
  std::string id;                   // unique per call
  std::vector<std::string> scopes;  // the budget scopes it is held on
  std::int64_t nanos = 0;
};

struct ScopeDaySpend {
  std::string scope;
  std::int64_t day = 0;  // days since the epoch, UTC
  std::int64_t nanos = 0;
};

class CounterStore {
 public:
  virtual ~CounterStore() = default;

  // Takes every use, or none when one does not fit.
  virtual Task<Result<RateVerdict>> TakeRates(std::vector<RateUse> uses, TimePoint now) = 0;
  // Counts uses measured afterwards (output tokens; input tokens beyond the estimate); never
  // refuses — a call over its limit makes the next ones wait.
  virtual Task<Status> AddRates(std::vector<RateUse> uses, TimePoint now) = 0;

  // Reserves `reservation.nanos` on every scope of `checks` when no hard budget would pass its
  // limit (its spend in the window + the reservations held on it + this one); else reserves
  // nothing. `reservation.id` names it (unique per call); `reservation.scopes` are the checks'.
  virtual Task<Result<BudgetVerdict>> Reserve(std::vector<BudgetCheck> checks,
                                              Reservation reservation) = 0;
  // Gives the reservation back (when `reservation.nanos` > 0) and counts `actual` as spent on every
  // one of `spend_scopes`, on the UTC day of `day_of` (the call's start).
  virtual Task<Status> Settle(Reservation reservation, std::vector<std::string> spend_scopes,
                              std::int64_t actual, TimePoint day_of) = 0;
  // Gives a reservation back without waiting (a call that ended without settling); never blocks.
  virtual void ReleaseDetached(Reservation reservation) = 0;

  // The spend of `scope` in `window` (reservations not included).
  virtual Task<Result<std::int64_t>> Spent(std::string scope, PeriodWindow window) = 0;

  // At start: the spend already in the ledger, per scope and UTC day. A store shared by several
  // gateways loads it once (the first gateway to start on an empty store); the others skip it.
  virtual Status LoadSpent(const std::vector<ScopeDaySpend>& rows) = 0;

  // Whether the store answered its last operation (a shared one can be unreachable).
  virtual bool healthy() const { return true; }
};

}  // namespace switchyard::governance

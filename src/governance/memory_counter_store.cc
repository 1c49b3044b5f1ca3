#include "governance/memory_counter_store.h"

#include <fmt/format.h>

#include "governance/gcra.h"

namespace switchyard::governance {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

double Micros(TimePoint now) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
}

std::int64_t DayOf(TimePoint at) {
  return std::chrono::floor<std::chrono::days>(at).time_since_epoch().count();
}

}  // namespace

std::string_view ToString(RateKind kind) {
  switch (kind) {
    case RateKind::kRequests: return "requests";
    case RateKind::kInputTokens: return "input-tokens";
    case RateKind::kOutputTokens: return "output-tokens";
  }
  return "requests";
}

// The per-minute figure is part of the key: a limit changed by an admin starts afresh rather than
// reading a state computed at another rate.
std::string MemoryCounterStore::RateKey(const RateLimit& limit) {
  return fmt::format("{}|{}|{}", limit.scope, ToString(limit.kind), limit.per_minute);
}

RateVerdict MemoryCounterStore::TakeRatesNow(const std::vector<RateUse>& uses, TimePoint now) {
  const double at = Micros(now);
  std::lock_guard lock(mutex_);
  RateVerdict verdict;
  std::vector<GcraResult> results;
  results.reserve(uses.size());
  for (std::size_t i = 0; i < uses.size(); ++i) {
    const RateUse& use = uses[i];
    results.push_back(Gcra(tats_[RateKey(use.limit)], use.limit.per_minute, use.amount, at));
    if (!results.back().allowed && verdict.allowed) {
      verdict.allowed = false;
      verdict.refused = i;
      verdict.retry_after_ms = results.back().retry_after_ms;
    }
  }
  for (std::size_t i = 0; i < uses.size(); ++i) {
    double& tat = tats_[RateKey(uses[i].limit)];
    // Refused: nothing was taken, so each limit is reported as it stands.
    const GcraResult state = verdict.allowed ? results[i] : Gcra(tat, uses[i].limit.per_minute, 0, at);
    if (verdict.allowed) tat = results[i].tat;
    verdict.states.push_back({uses[i].limit, state.remaining, state.reset_ms});
  }
  return verdict;
}

void MemoryCounterStore::AddRatesNow(const std::vector<RateUse>& uses, TimePoint now) {
  const double at = Micros(now);
  std::lock_guard lock(mutex_);
  for (const RateUse& use : uses) {
    if (use.amount <= 0) continue;
    double& tat = tats_[RateKey(use.limit)];
    tat = Gcra(tat, use.limit.per_minute, use.amount, at, /*take_only_if_room=*/false).tat;
  }
}

std::int64_t MemoryCounterStore::SpentLocked(const ScopeSpend& spend, PeriodWindow window) const {
  if (window.start_ms <= 0 && window.end_ms == std::numeric_limits<std::int64_t>::max()) {
    return spend.total;
  }
  std::int64_t sum = 0;
  const auto end = spend.by_day.lower_bound(window.end_ms / kMsPerDay);
  for (auto day = spend.by_day.lower_bound(window.start_ms / kMsPerDay); day != end; ++day) {
    sum += day->second;
  }
  return sum;
}

BudgetVerdict MemoryCounterStore::ReserveNow(const std::vector<BudgetCheck>& checks,
                                             std::int64_t nanos) {
  std::lock_guard lock(mutex_);
  BudgetVerdict verdict;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const ScopeSpend& spend = spending_[checks[i].scope];
    const std::int64_t committed = SpentLocked(spend, checks[i].window) + spend.reserved;
    if (committed + nanos <= checks[i].limit.nanos) continue;
    if (!checks[i].limit.hard) {
      verdict.soft_over.push_back(i);
    } else if (verdict.allowed) {
      verdict.allowed = false;
      verdict.refused = i;
      verdict.spent_nanos = committed;
    }
  }
  if (!verdict.allowed) {
    verdict.soft_over.clear();
    return verdict;
  }
  for (const BudgetCheck& check : checks) spending_[check.scope].reserved += nanos;
  return verdict;
}

void MemoryCounterStore::SettleNow(const std::vector<std::string>& reserved_scopes,
                                   std::int64_t reserved,
                                   const std::vector<std::string>& spend_scopes,
                                   std::int64_t actual, TimePoint day_of) {
  const std::int64_t day = DayOf(day_of);
  std::lock_guard lock(mutex_);
  for (const std::string& scope : reserved_scopes) {
    ScopeSpend& spend = spending_[scope];
    spend.reserved = std::max<std::int64_t>(0, spend.reserved - reserved);
  }
  for (const std::string& scope : spend_scopes) {
    ScopeSpend& spend = spending_[scope];
    spend.by_day[day] += actual;
    spend.total += actual;
  }
}

std::int64_t MemoryCounterStore::SpentNow(const std::string& scope, PeriodWindow window) {
  std::lock_guard lock(mutex_);
  auto found = spending_.find(scope);
  return found == spending_.end() ? 0 : SpentLocked(found->second, window);
}

Status MemoryCounterStore::LoadSpent(const std::vector<ScopeDaySpend>& rows) {
  std::lock_guard lock(mutex_);
  for (const ScopeDaySpend& row : rows) {
    ScopeSpend& spend = spending_[row.scope];
    spend.by_day[row.day] += row.nanos;
    spend.total += row.nanos;
  }
  return {};
}

Task<Result<RateVerdict>> MemoryCounterStore::TakeRates(std::vector<RateUse> uses, TimePoint now) {
  co_return TakeRatesNow(uses, now);
}

Task<Status> MemoryCounterStore::AddRates(std::vector<RateUse> uses, TimePoint now) {
  AddRatesNow(uses, now);
  co_return Status();
}

Task<Result<BudgetVerdict>> MemoryCounterStore::Reserve(std::vector<BudgetCheck> checks,
                                                        Reservation reservation) {
  co_return ReserveNow(checks, reservation.nanos);
}

Task<Status> MemoryCounterStore::Settle(Reservation reservation,
                                        std::vector<std::string> spend_scopes,
                                        std::int64_t actual, TimePoint day_of) {
  SettleNow(reservation.scopes, reservation.nanos, spend_scopes, actual, day_of);
  co_return Status();
}

void MemoryCounterStore::ReleaseDetached(Reservation reservation) {
  SettleNow(reservation.scopes, reservation.nanos, {}, 0, TimePoint());
}

Task<Result<std::int64_t>> MemoryCounterStore::Spent(std::string scope, PeriodWindow window) {
  co_return SpentNow(scope, window);
}

}  // namespace switchyard::governance

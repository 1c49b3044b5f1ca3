// MemoryCounterStore: the CounterStore of one gateway instance, under one mutex — a call's
// checks are a handful of map lookups, held for well under a microsecond, so two worker threads
// rarely meet on it (bench/run: the governed pass-through row beside the ungoverned one).
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>

#include "governance/counter_store.h"

namespace switchyard::governance {

class MemoryCounterStore : public CounterStore {
 public:
  Task<Result<RateVerdict>> TakeRates(std::vector<RateUse> uses, TimePoint now) override;
  Task<Status> AddRates(std::vector<RateUse> uses, TimePoint now) override;
  Task<Result<BudgetVerdict>> Reserve(std::vector<BudgetCheck> checks,
                                      Reservation reservation) override;
  Task<Status> Settle(Reservation reservation, std::vector<std::string> spend_scopes,
                      std::int64_t actual, TimePoint day_of) override;
  void ReleaseDetached(Reservation reservation) override;
  Task<Result<std::int64_t>> Spent(std::string scope, PeriodWindow window) override;
  Status LoadSpent(const std::vector<ScopeDaySpend>& rows) override;

  // The synchronous forms, for tests and for the async ones above.
  RateVerdict TakeRatesNow(const std::vector<RateUse>& uses, TimePoint now);
  void AddRatesNow(const std::vector<RateUse>& uses, TimePoint now);
  BudgetVerdict ReserveNow(const std::vector<BudgetCheck>& checks, std::int64_t nanos);
  // Counts `actual` on `spend_scopes` after giving back `reserved` on `reserved_scopes`.
  void SettleNow(const std::vector<std::string>& reserved_scopes, std::int64_t reserved,
                 const std::vector<std::string>& spend_scopes, std::int64_t actual,
                 TimePoint day_of);
  std::int64_t SpentNow(const std::string& scope, PeriodWindow window);

 private:
  struct ScopeSpend {
    std::map<std::int64_t, std::int64_t> by_day;  // days since the epoch → nano-dollars
    std::int64_t total = 0;
    std::int64_t reserved = 0;  // calls in flight
  };
  std::int64_t SpentLocked(const ScopeSpend& spend, PeriodWindow window) const;
  static std::string RateKey(const RateLimit& limit);

  std::mutex mutex_;
  std::unordered_map<std::string, double> tats_;          // GUARDED_BY(mutex_)
  std::unordered_map<std::string, ScopeSpend> spending_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::governance

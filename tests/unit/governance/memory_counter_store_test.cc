#include "governance/memory_counter_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "ledger/ledger_time.h"

namespace switchyard::governance {
namespace {

TimePoint At(std::string_view iso) {
  auto ms = ledger::ParseIsoTime(iso);
  EXPECT_TRUE(ms.ok()) << iso;
  return TimePoint(std::chrono::milliseconds(ms.ok() ? *ms : 0));
}

BudgetCheck Check(std::string scope, std::int64_t limit, config::BudgetPeriod period,
                  TimePoint now, bool hard = true) {
  return {std::move(scope), {limit, period, hard}, PeriodOf(period, now)};
}

TEST(MemoryCounterStoreTest, SpendCountsInTheDayItWasMadeAndEveryLongerPeriod) {
  MemoryCounterStore store;
  const TimePoint monday = At("2026-12-07T10:00:00.000Z");
  const TimePoint tuesday = At("2026-12-08T10:00:00.000Z");
  store.SettleNow({}, 0, {"key:a"}, 5, monday);
  store.SettleNow({}, 0, {"key:a"}, 7, tuesday);
  EXPECT_EQ(store.SpentNow("key:a", PeriodOf(config::BudgetPeriod::kDay, tuesday)), 7);
  EXPECT_EQ(store.SpentNow("key:a", PeriodOf(config::BudgetPeriod::kWeek, tuesday)), 12);
  EXPECT_EQ(store.SpentNow("key:a", PeriodOf(config::BudgetPeriod::kMonth, tuesday)), 12);
  EXPECT_EQ(store.SpentNow("key:a", PeriodOf(config::BudgetPeriod::kTotal, tuesday)), 12);
  EXPECT_EQ(store.SpentNow("key:b", PeriodOf(config::BudgetPeriod::kTotal, tuesday)), 0);
}

TEST(MemoryCounterStoreTest, AReservationIsAllOrNothingAcrossItsBudgets) {
  MemoryCounterStore store;
  const TimePoint now = At("2026-12-07T10:00:00.000Z");
  std::vector<BudgetCheck> checks = {Check("key:a", 100, config::BudgetPeriod::kDay, now),
                                     Check("global", 50, config::BudgetPeriod::kDay, now)};
  BudgetVerdict refused = store.ReserveNow(checks, 60);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused, 1u);
  // Nothing was reserved on key:a by the refused call.
  EXPECT_TRUE(store.ReserveNow({checks[0]}, 100).allowed);
}

TEST(MemoryCounterStoreTest, SoftBudgetsAreReportedNotRefused) {
  MemoryCounterStore store;
  const TimePoint now = At("2026-12-07T10:00:00.000Z");
  BudgetVerdict verdict =
      store.ReserveNow({Check("key:a", 10, config::BudgetPeriod::kDay, now, /*hard=*/false)}, 11);
  EXPECT_TRUE(verdict.allowed);
  ASSERT_EQ(verdict.soft_over.size(), 1u);
}

TEST(MemoryCounterStoreTest, ConcurrentReservationsNeverPassAHardBudget) {
  MemoryCounterStore store;
  const TimePoint now = At("2026-12-07T10:00:00.000Z");
  const BudgetCheck check = Check("key:a", 1000, config::BudgetPeriod::kDay, now);
  std::atomic<int> admitted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (store.ReserveNow({check}, 7).allowed) ++admitted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 1000 / 7);
}

TEST(MemoryCounterStoreTest, RateUsesAreAllOrNothing) {
  MemoryCounterStore store;
  const TimePoint now = At("2026-12-07T10:00:00.000Z");
  const RateLimit key{"key:a", RateKind::kRequests, 10};
  const RateLimit team{"team:t", RateKind::kRequests, 1};
  EXPECT_TRUE(store.TakeRatesNow({{team, 1}}, now).allowed);
  RateVerdict refused = store.TakeRatesNow({{key, 1}, {team, 1}}, now);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused, 1u);
  ASSERT_EQ(refused.states.size(), 2u);
  EXPECT_EQ(refused.states[0].remaining, 10);  // the key's limit was not taken
}

}  // namespace
}  // namespace switchyard::governance

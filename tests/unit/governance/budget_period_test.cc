#include "governance/budget_period.h"

#include <gtest/gtest.h>

#include "ledger/ledger_time.h"

namespace switchyard::governance {
namespace {

std::chrono::system_clock::time_point At(std::string_view iso) {
  auto ms = ledger::ParseIsoTime(iso);
  EXPECT_TRUE(ms.ok()) << iso;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.ok() ? *ms : 0));
}

std::string Iso(std::int64_t ms) { return ledger::FormatIsoUtcMillis(ms); }

TEST(BudgetPeriodTest, DayWeekMonthInUtc) {
  const auto at = At("2026-12-09T23:59:59.999Z");  // a Wednesday
  PeriodWindow day = PeriodOf(config::BudgetPeriod::kDay, at);
  EXPECT_EQ(Iso(day.start_ms), "2026-12-09T00:00:00.000Z");
  EXPECT_EQ(Iso(day.end_ms), "2026-12-10T00:00:00.000Z");
  PeriodWindow week = PeriodOf(config::BudgetPeriod::kWeek, at);
  EXPECT_EQ(Iso(week.start_ms), "2026-12-07T00:00:00.000Z");  // Monday
  EXPECT_EQ(Iso(week.end_ms), "2026-12-14T00:00:00.000Z");
  PeriodWindow month = PeriodOf(config::BudgetPeriod::kMonth, at);
  EXPECT_EQ(Iso(month.start_ms), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(Iso(month.end_ms), "2027-01-01T00:00:00.000Z");
}

TEST(BudgetPeriodTest, BoundariesBelongToTheNextPeriod) {
  PeriodWindow day = PeriodOf(config::BudgetPeriod::kDay, At("2026-12-10T00:00:00.000Z"));
  EXPECT_EQ(Iso(day.start_ms), "2026-12-10T00:00:00.000Z");
  PeriodWindow week = PeriodOf(config::BudgetPeriod::kWeek, At("2026-12-13T23:00:00.000Z"));  // Sunday
  EXPECT_EQ(Iso(week.start_ms), "2026-12-07T00:00:00.000Z");
  PeriodWindow february = PeriodOf(config::BudgetPeriod::kMonth, At("2028-02-29T12:00:00.000Z"));
  EXPECT_EQ(Iso(february.end_ms), "2028-03-01T00:00:00.000Z");
}

TEST(BudgetPeriodTest, TotalIsAllTime) {
  PeriodWindow total = PeriodOf(config::BudgetPeriod::kTotal, At("2026-12-09T10:00:00.000Z"));
  EXPECT_EQ(total.start_ms, 0);
  EXPECT_EQ(total.end_ms, std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace switchyard::governance

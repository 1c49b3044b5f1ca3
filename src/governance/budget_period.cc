#include "governance/budget_period.h"

#include <limits>

namespace switchyard::governance {
namespace {

using namespace std::chrono;

std::int64_t Ms(sys_days day) { return duration_cast<milliseconds>(day.time_since_epoch()).count(); }

}  // namespace

PeriodWindow PeriodOf(config::BudgetPeriod period, system_clock::time_point at) {
  const sys_days today = floor<days>(at);
  switch (period) {
    case config::BudgetPeriod::kDay:
      return {Ms(today), Ms(today + days(1))};
    case config::BudgetPeriod::kWeek: {
      const sys_days monday = today - (weekday(today) - Monday);
      return {Ms(monday), Ms(monday + days(7))};
    }
    case config::BudgetPeriod::kMonth: {
      const year_month_day ymd(today);
      const sys_days first = sys_days(ymd.year() / ymd.month() / 1);
      const sys_days next = sys_days((ymd.year() / ymd.month() + months(1)) / 1);
      return {Ms(first), Ms(next)};
    }
    case config::BudgetPeriod::kTotal:
      break;
  }
  return {0, std::numeric_limits<std::int64_t>::max()};
}

}  // namespace switchyard::governance

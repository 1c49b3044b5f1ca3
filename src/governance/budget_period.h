// The UTC calendar period a time falls in, for budgets: a day, an ISO week (from Monday 00:00
// UTC), a calendar month, or all time. Pure functions of the time given, so that tests can move
// the clock across a boundary.
#pragma once

#include <chrono>
#include <cstdint>

#include "config/governance_config.h"

namespace switchyard::governance {

struct PeriodWindow {
  std::int64_t start_ms = 0;  // inclusive, epoch milliseconds
  std::int64_t end_ms = 0;    // exclusive; INT64_MAX for `total`
};

PeriodWindow PeriodOf(config::BudgetPeriod period, std::chrono::system_clock::time_point at);

}  // namespace switchyard::governance

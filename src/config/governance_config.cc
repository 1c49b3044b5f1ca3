#include "config/governance_config.h"

#include <fmt/format.h>

namespace switchyard::config {

std::optional<BudgetPeriod> ParseBudgetPeriod(std::string_view text) {
  if (text == "day") return BudgetPeriod::kDay;
  if (text == "week") return BudgetPeriod::kWeek;
  if (text == "month") return BudgetPeriod::kMonth;
  if (text == "total") return BudgetPeriod::kTotal;
  return std::nullopt;
}

std::string_view ToString(BudgetPeriod period) {
  switch (period) {
    case BudgetPeriod::kDay: return "day";
    case BudgetPeriod::kWeek: return "week";
    case BudgetPeriod::kMonth: return "month";
    case BudgetPeriod::kTotal: return "total";
  }
  return "month";
}

namespace {

// "NAME" after "prefix:", non-empty and printable.
bool HasName(std::string_view scope, std::string_view prefix) {
  if (!scope.starts_with(prefix) || scope.size() == prefix.size()) return false;
  for (char c : scope.substr(prefix.size())) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> BudgetScopeProblem(std::string_view scope) {
  if (scope == "global" || HasName(scope, "team:")) return std::nullopt;
  if (HasName(scope, "tag:")) {
    const std::size_t equals = scope.find('=');
    if (equals != std::string_view::npos && equals > 4 && equals + 1 < scope.size()) {
      return std::nullopt;
    }
  }
  return fmt::format("'{}' is not a budget scope: write global, team:NAME or tag:KEY=VALUE",
                     scope.substr(0, 100));
}

std::optional<std::string> LimitScopeProblem(std::string_view scope) {
  if (HasName(scope, "team:")) return std::nullopt;
  if (HasName(scope, "model:") && scope.find('/') != std::string_view::npos) return std::nullopt;
  return fmt::format("'{}' is not a rate-limit scope: write team:NAME or model:PROVIDER/MODEL",
                     scope.substr(0, 100));
}

}  // namespace switchyard::config

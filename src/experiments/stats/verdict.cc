#include "experiments/stats/verdict.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace switchyard::experiments {
namespace {

// 1234567 -> "1,234,567": counts people read at a glance.
std::string Grouped(std::int64_t value) {
  std::string digits = std::to_string(std::llabs(value));
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return value < 0 ? "-" + digits : digits;
}

// A margin of 0.05 -> "5", 0.025 -> "2.5": points of win rate, at most one decimal.
std::string Points(double margin) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", margin * 100);
  std::string points = text;
  if (points.size() > 2 && points.compare(points.size() - 2, 2, ".0") == 0)
    points.resize(points.size() - 2);
  return points;
}

// Rounds up to two significant figures (1234 -> 1300): the estimate is rough, so it should not
// look precise, and rounding up keeps it from promising less than it computed.
std::int64_t RoundUpTwoFigures(std::int64_t value) {
  std::int64_t unit = 1;
  while (value / unit >= 100) unit *= 10;
  return (value + unit - 1) / unit * unit;
}

// " at 38% less cost per call", " at 12% more ...", " at the same ...", or "" when unknown.
std::string CostClause(const VariantSummary& a, const VariantSummary& b) {
  if (!a.cost_per_call_usd || !b.cost_per_call_usd) return "";
  const double cost_a = *a.cost_per_call_usd, cost_b = *b.cost_per_call_usd;
  if (!(cost_a > 0) || !std::isfinite(cost_a) || !std::isfinite(cost_b) || cost_b < 0) return "";
  const auto percent = static_cast<std::int64_t>(std::llround((cost_b - cost_a) / cost_a * 100));
  if (percent == 0) return " at the same cost per call";
  return " at " + Grouped(std::llabs(percent)) + (percent < 0 ? "% less" : "% more") +
         " cost per call";
}

std::string Undecided(const NonInferiorityTest& test) {
  const auto more = test.not_worse_test().MoreNeeded();
  if (!more || *more <= 0) return "Not enough evidence yet";
  return "Not enough evidence yet (about " + Grouped(RoundUpTwoFigures(*more)) +
         " more judged calls at the current rate)";
}

}  // namespace

std::optional<double> WinRate(const VariantSummary& variant) {
  const double trials = variant.wins + variant.losses + variant.ties;
  if (!(trials > 0)) return std::nullopt;
  return (variant.wins + variant.ties / 2) / trials;
}

Interval WinRateInterval(const VariantSummary& variant) {
  return WilsonInterval(variant.wins + variant.ties / 2,
                        variant.wins + variant.losses + variant.ties);
}

std::optional<double> ErrorRate(const VariantSummary& variant) {
  if (variant.calls <= 0) return std::nullopt;
  return static_cast<double>(variant.errors) / static_cast<double>(variant.calls);
}

std::string VerdictText(const VariantSummary& a, const VariantSummary& b,
                        const NonInferiorityTest& test) {
  const std::string counts =
      ", n = " + Grouped(a.calls + b.calls) + ", judged " + Grouped(test.n());
  const std::string points = Points(test.margin());
  switch (test.decision()) {
    case Decision::kNotWorse:
      return b.name + " is not worse than " + a.name + " (margin " + points + " points)" +
             CostClause(a, b) + counts;
    case Decision::kWorse:
      return b.name + " is worse than " + a.name + " by more than " + points + " points" +
             CostClause(a, b) + counts;
    case Decision::kUndecided: break;
  }
  return Undecided(test) + counts;
}

}  // namespace switchyard::experiments

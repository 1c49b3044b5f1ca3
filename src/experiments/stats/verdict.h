// The experiment's results in numbers and its verdict in plain words (issue 17, "Results" and
// "Verdict"). The verdict is what people read every day and act on, so it says only what the
// anytime-valid test in sequential_test.h has established — "B is not worse than A", "B is worse
// than A", or "not enough evidence yet" — never a raw win rate dressed up as a conclusion; the cost
// comparison is appended because "not worse, and cheaper" is the usual reason to run the
// experiment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "experiments/stats/quantiles.h"
#include "experiments/stats/sequential_test.h"
#include "experiments/stats/wilson.h"

namespace switchyard::experiments {

// One variant's totals over an experiment's epoch, as the ledger aggregates them. wins, losses and
// ties are of this variant's valid pairwise judgements (an invalid judgement is in none of them);
// they are doubles so that a caller may weight, but normally hold whole numbers.
struct VariantSummary {
  std::string name = {};
  std::int64_t calls = 0;
  std::int64_t judged = 0;  // calls with a valid judgement (either mode)
  double wins = 0;
  double losses = 0;
  double ties = 0;
  std::int64_t errors = 0;                         // calls that failed upstream
  std::optional<double> mean_score = {};           // score mode, 1 to 10
  std::optional<double> cost_per_call_usd = {};    // unknown when the pricing table lacks the model
  std::optional<LatencyPercentiles> latency = {};  // see Percentiles()
};

// The variant's win rate, a tie counting half a win, over wins + losses + ties; nullopt if none.
std::optional<double> WinRate(const VariantSummary& variant);
// Its 95% Wilson interval; {0, 1} when there are no judgements.
Interval WinRateInterval(const VariantSummary& variant);
// errors / calls; nullopt when there are no calls.
std::optional<double> ErrorRate(const VariantSummary& variant);

// The verdict on B against A, from the test fed with B's outcome of every judged comparison in
// order. One sentence, e.g.
//   "B is not worse than A (margin 5 points) at 38% less cost per call, n = 412, judged 206"
//   "B is worse than A by more than 5 points at 12% more cost per call, n = 412, judged 206"
//   "Not enough evidence yet (about 300 more judged calls at the current rate), n = 90, judged 45"
// where n is both variants' calls and "judged" the comparisons the test has seen. The cost clause
// appears only when both costs are known and A's is positive. The "about N more" estimate is
// BettingTest::MoreNeeded(), rounded up to two significant figures; it is left out (with the plain
// "Not enough evidence yet") when there are too few judged comparisons to extrapolate or B's win
// rate is at or below 0.5 - margin, where no number of calls would be honest.
std::string VerdictText(const VariantSummary& a, const VariantSummary& b,
                        const NonInferiorityTest& test);

}  // namespace switchyard::experiments

// An experiment's results computed from what the ledger kept (issue 17, "Results and verdict"):
// per variant its totals and judgements, per pair (the control A against each other variant B)
// the win rate of B over A with both sequential tests, and the verdict in plain words; and which
// variant a promotion would choose. Pure: the inputs are plain values (not ledger rows), so the
// gateway's admin API, the CLI and the registry's promotion check compute the same numbers, and
// the unit tests can check them by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/stats/sequential_test.h"
#include "experiments/stats/verdict.h"
#include "experiments/stats/wilson.h"

namespace switchyard::experiments {

// The calls one variant served in the epoch.
struct VariantTotals {
  std::string name;
  std::int64_t calls = 0;
  std::int64_t errors = 0;
  std::int64_t cost_nanos = 0;      // of the priced calls
  std::int64_t unpriced_calls = 0;  // calls with any unpriced attempt, not in cost_nanos
  std::vector<double> latencies_ms;
};

// One judgement, as recorded (ledger/call_record.h JudgementRecord). Pairwise: the control
// `variant_a` against `variant_b`, `outcome` b_wins | a_wins | tie | invalid from B's side. Score:
// `variant_b` (else `served`) scored, `outcome` scored | invalid. Any other outcome counts as
// invalid: a value this code does not know is not evidence.
struct JudgementInput {
  std::string variant_a;
  std::string variant_b;
  std::string served;
  std::string mode;     // pairwise | score
  std::string outcome;  // b_wins | a_wins | tie | invalid | scored
  std::optional<int> score;
};

struct ResultsInput {
  std::vector<std::string> variants;  // names in the config's order; the first is the control A
  std::string mode = "pairwise";      // pairwise | score (the judge's)
  double margin = 0.05;
  double confidence = 0.95;
  std::vector<VariantTotals> totals;       // any order; a variant without calls may be absent
  std::vector<JudgementInput> judgements;  // oldest first: the sequential tests read them in order
};

// B against A over their valid pairwise judgements.
struct PairResult {
  std::string a;
  std::string b;
  std::int64_t b_wins = 0;
  std::int64_t a_wins = 0;
  std::int64_t ties = 0;
  std::int64_t invalid = 0;          // in none of the other counts, nor in the tests
  std::optional<double> b_win_rate;  // a tie counting half; nullopt before any valid judgement
  Interval ci{0, 1};                 // 95% Wilson interval of b_win_rate
  // "B is not worse than A by more than the margin" (kNotWorse) or "B is worse" (kWorse).
  NonInferiorityTest not_worse;
  // The same test with margin 0: kNotWorse means B is better than A, kWorse that A is better.
  NonInferiorityTest superiority{0, 0.95};
  std::string verdict;  // VerdictText of not_worse

  std::int64_t judged() const { return b_wins + a_wins + ties; }
};

struct ExperimentResults {
  std::string mode;
  std::vector<VariantSummary> variants;  // the config's order
  std::vector<PairResult> pairs;         // pairwise mode: (A, B_i) for each other variant
  std::string verdict;
};

ExperimentResults ComputeResults(const ResultsInput& input);

// The variant a promotion shifts the traffic to, or nullopt while the evidence does not decide.
//   winner:             with one pair, B if the superiority test found B better, A if it found
//                       A better. With several, the variant with the highest win rate among
//                       those found better than A; else A, but only once every pair found A
//                       better.
//   cheapest_not_worse: once every pair is decided (a still open B might be the cheapest), the
//                       variant with the lowest known cost per call among A and each B found
//                       not worse (A is not worse than itself); a candidate without a known cost
//                       is passed over (nullopt when none has one, unless A is the only one).
// Score mode has no test, so no choice; nor has an unknown `to`.
std::optional<std::string> PromotionChoice(const ExperimentResults& results, std::string_view to);

}  // namespace switchyard::experiments

#include "experiments/results.h"

#include <cmath>
#include <cstdio>

#include "experiments/judging/pairwise_judgement.h"

namespace switchyard::experiments {
namespace {

enum class Kind { kBWins, kAWins, kTie, kScored, kInvalid };

Kind KindOf(const JudgementInput& judgement) {
  if (judgement.outcome == "b_wins") return Kind::kBWins;
  if (judgement.outcome == "a_wins") return Kind::kAWins;
  if (judgement.outcome == "tie") return Kind::kTie;
  // A score without its number is no evidence either.
  if (judgement.outcome == "scored" && judgement.score) return Kind::kScored;
  return Kind::kInvalid;
}

VariantSummary SummaryOf(const std::string& name, const std::vector<VariantTotals>& totals) {
  VariantSummary summary;
  summary.name = name;
  for (const VariantTotals& row : totals) {
    if (row.name != name) continue;
    summary.calls = row.calls;
    summary.errors = row.errors;
    // A cost per call that left some calls out would flatter the variant: unknown instead.
    if (row.calls > 0 && row.unpriced_calls == 0) {
      summary.cost_per_call_usd =
          static_cast<double>(row.cost_nanos) / 1e9 / static_cast<double>(row.calls);
    }
    summary.latency = Percentiles(row.latencies_ms);
    break;
  }
  return summary;
}

// Adds one valid pairwise outcome to the pair and to both variants' own counts.
void CountPairwise(Outcome outcome, PairResult& pair, VariantSummary& a, VariantSummary& b) {
  ++a.judged;
  ++b.judged;
  switch (outcome) {
    case Outcome::kBWins:
      ++pair.b_wins;
      ++b.wins;
      ++a.losses;
      break;
    case Outcome::kAWins:
      ++pair.a_wins;
      ++a.wins;
      ++b.losses;
      break;
    case Outcome::kTie:
      ++pair.ties;
      ++a.ties;
      ++b.ties;
      break;
  }
  pair.not_worse.Add(OutcomeValue(outcome));
  pair.superiority.Add(OutcomeValue(outcome));
}

std::optional<Outcome> PairwiseOutcome(Kind kind) {
  switch (kind) {
    case Kind::kBWins:
      return Outcome::kBWins;
    case Kind::kAWins:
      return Outcome::kAWins;
    case Kind::kTie:
      return Outcome::kTie;
    case Kind::kScored:
    case Kind::kInvalid:
      break;
  }
  return std::nullopt;
}

// Feeds every judgement of (A, B_i) to its pair, in order; other pairs' rows are ignored.
void Pairwise(const ResultsInput& input, ExperimentResults& results) {
  for (std::size_t i = 1; i < results.variants.size(); ++i) {
    PairResult pair;
    pair.a = input.variants[0];
    pair.b = input.variants[i];
    pair.not_worse = NonInferiorityTest(input.margin, input.confidence);
    pair.superiority = NonInferiorityTest(0, input.confidence);
    results.pairs.push_back(std::move(pair));
  }
  for (const JudgementInput& judgement : input.judgements) {
    if (judgement.mode != "pairwise" || judgement.variant_a != input.variants[0]) continue;
    for (std::size_t i = 1; i < results.variants.size(); ++i) {
      PairResult& pair = results.pairs[i - 1];
      if (judgement.variant_b != pair.b) continue;
      if (std::optional<Outcome> outcome = PairwiseOutcome(KindOf(judgement))) {
        CountPairwise(*outcome, pair, results.variants[0], results.variants[i]);
      } else {
        ++pair.invalid;
      }
      break;
    }
  }
  for (std::size_t i = 1; i < results.variants.size(); ++i) {
    PairResult& pair = results.pairs[i - 1];
    if (pair.judged() > 0) {
      const double trials = static_cast<double>(pair.judged());
      const double successes = static_cast<double>(pair.b_wins) + pair.ties / 2.0;
      pair.b_win_rate = successes / trials;
      pair.ci = WilsonInterval(successes, trials);
    }
    pair.verdict = VerdictText(results.variants[0], results.variants[i], pair.not_worse);
  }
}

void Scores(const ResultsInput& input, ExperimentResults& results) {
  std::vector<double> sums(results.variants.size(), 0);
  for (const JudgementInput& judgement : input.judgements) {
    if (judgement.mode != "score" || KindOf(judgement) != Kind::kScored) continue;
    const std::string& scored =
        judgement.variant_b.empty() ? judgement.served : judgement.variant_b;
    for (std::size_t i = 0; i < results.variants.size(); ++i) {
      if (results.variants[i].name != scored) continue;
      ++results.variants[i].judged;
      sums[i] += *judgement.score;
      break;
    }
  }
  for (std::size_t i = 0; i < results.variants.size(); ++i) {
    VariantSummary& variant = results.variants[i];
    if (variant.judged > 0) variant.mean_score = sums[i] / static_cast<double>(variant.judged);
  }
}

std::string ScoreVerdict(const std::vector<VariantSummary>& variants) {
  std::string text = "Score mode gives no significance test: ";
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const VariantSummary& variant = variants[i];
    if (i > 0) text += ", ";
    if (!variant.mean_score) {
      text += variant.name + " not scored yet";
      continue;
    }
    char mean[32];
    std::snprintf(mean, sizeof mean, "%.1f", *variant.mean_score);
    text +=
        variant.name + " mean score " + mean + " (judged " + std::to_string(variant.judged) + ")";
  }
  return text;
}

std::string PairwiseVerdict(const std::vector<PairResult>& pairs) {
  if (pairs.empty()) return "One variant only: there is nothing to compare it with";
  std::string text;
  for (const PairResult& pair : pairs) {
    if (!text.empty()) text += "; ";
    text += pair.verdict;
  }
  return text;
}

std::optional<std::string> Winner(const ExperimentResults& results) {
  const PairResult* best = nullptr;
  bool all_for_a = true;
  for (const PairResult& pair : results.pairs) {
    const Decision decided = pair.superiority.decision();
    all_for_a = all_for_a && decided == Decision::kWorse;
    if (decided != Decision::kNotWorse) continue;
    if (best == nullptr || pair.superiority.mean() > best->superiority.mean()) best = &pair;
  }
  if (best != nullptr) return best->b;
  if (all_for_a && !results.pairs.empty()) return results.pairs.front().a;
  return std::nullopt;
}

std::optional<std::string> CheapestNotWorse(const ExperimentResults& results) {
  std::vector<const VariantSummary*> candidates = {&results.variants.front()};
  for (std::size_t i = 0; i < results.pairs.size(); ++i) {
    const Decision decided = results.pairs[i].not_worse.decision();
    if (decided == Decision::kUndecided) return std::nullopt;
    if (decided == Decision::kNotWorse) candidates.push_back(&results.variants[i + 1]);
  }
  if (candidates.size() == 1) return candidates.front()->name;
  const VariantSummary* cheapest = nullptr;
  for (const VariantSummary* candidate : candidates) {
    if (!candidate->cost_per_call_usd) continue;
    if (cheapest == nullptr || *candidate->cost_per_call_usd < *cheapest->cost_per_call_usd) {
      cheapest = candidate;
    }
  }
  if (cheapest == nullptr) return std::nullopt;
  return cheapest->name;
}

}  // namespace

ExperimentResults ComputeResults(const ResultsInput& input) {
  ExperimentResults results;
  results.mode = input.mode;
  for (const std::string& name : input.variants) {
    results.variants.push_back(SummaryOf(name, input.totals));
  }
  if (results.variants.empty()) {
    results.verdict = "The experiment has no variants";
    return results;
  }
  if (input.mode == "score") {
    Scores(input, results);
    results.verdict = ScoreVerdict(results.variants);
  } else {
    Pairwise(input, results);
    results.verdict = PairwiseVerdict(results.pairs);
  }
  return results;
}

std::optional<std::string> PromotionChoice(const ExperimentResults& results, std::string_view to) {
  if (results.mode == "score" || results.pairs.empty()) return std::nullopt;
  if (to == "winner") return Winner(results);
  if (to == "cheapest_not_worse") return CheapestNotWorse(results);
  return std::nullopt;
}

}  // namespace switchyard::experiments

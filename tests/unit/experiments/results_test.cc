// The results on fixed data sets, checked against numbers worked out by hand (issue 17, "the
// statistics equal a hand computation on a fixed data set"), and the promotion's choices.
#include "experiments/results.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::experiments {
namespace {

JudgementInput Pairwise(std::string a, std::string b, std::string outcome) {
  return {std::move(a), std::move(b), "", "pairwise", std::move(outcome), std::nullopt};
}

JudgementInput Scored(std::string variant, std::optional<int> score) {
  return {"", std::move(variant), "", "score", score ? "scored" : "invalid", score};
}

// `count` judgements of B against A, cycling through `outcomes`.
void AddCycle(ResultsInput& input, const std::string& b, const std::vector<std::string>& outcomes,
              int count) {
  for (int i = 0; i < count; ++i) {
    input.judgements.push_back(Pairwise("A", b, outcomes[i % outcomes.size()]));
  }
}

ResultsInput TwoVariants() {
  ResultsInput input;
  input.variants = {"A", "B"};
  // A: 10 calls, one error, $0.02 in all; latencies 100, 200, ..., 1000 ms.
  VariantTotals a{"A", 10, 1, 20'000'000, 0, {}};
  for (int ms = 1000; ms >= 100; ms -= 100) a.latencies_ms.push_back(ms);
  // B: 8 calls, one of them unpriced, so its cost per call is unknown.
  VariantTotals b{"B", 8, 0, 8'000'000, 1, {90, 50, 70}};
  input.totals = {b, a};
  // Oldest first: 3 wins of B, 1 of A, 2 ties, and two that are no evidence.
  for (const char* outcome :
       {"b_wins", "tie", "invalid", "b_wins", "a_wins", "maybe", "tie", "b_wins"}) {
    input.judgements.push_back(Pairwise("A", "B", outcome));
  }
  return input;
}

TEST(ResultsTest, TwoVariantsMatchAHandComputation) {
  const ExperimentResults results = ComputeResults(TwoVariants());
  ASSERT_EQ(results.variants.size(), 2u);
  const VariantSummary& a = results.variants[0];
  const VariantSummary& b = results.variants[1];
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(a.calls, 10);
  EXPECT_EQ(a.errors, 1);
  EXPECT_EQ(ErrorRate(a), 0.1);
  // Six valid judgements: A won 1, lost 3, tied 2; the invalid and unknown ones count nowhere.
  EXPECT_EQ(a.judged, 6);
  EXPECT_EQ(a.wins, 1);
  EXPECT_EQ(a.losses, 3);
  EXPECT_EQ(a.ties, 2);
  EXPECT_DOUBLE_EQ(*WinRate(a), 2.0 / 6);  // (1 + 2/2) / 6
  ASSERT_TRUE(a.cost_per_call_usd);
  EXPECT_DOUBLE_EQ(*a.cost_per_call_usd, 0.002);  // $0.02 / 10
  // Nearest rank over 10 values: p50 the 5th smallest, p95 the ceil(9.5) = 10th.
  ASSERT_TRUE(a.latency);
  EXPECT_EQ(a.latency->p50_ms, 500);
  EXPECT_EQ(a.latency->p95_ms, 1000);
  EXPECT_FALSE(a.mean_score);

  EXPECT_EQ(b.judged, 6);
  EXPECT_EQ(b.wins, 3);
  EXPECT_EQ(b.losses, 1);
  EXPECT_EQ(b.ties, 2);
  EXPECT_FALSE(b.cost_per_call_usd);  // one call unpriced
  ASSERT_TRUE(b.latency);
  EXPECT_EQ(b.latency->p50_ms, 70);  // ceil(1.5) = 2nd of 50, 70, 90
  EXPECT_EQ(b.latency->p95_ms, 90);
  EXPECT_EQ(ErrorRate(b), 0.0);
}

TEST(ResultsTest, PairCountsWinRateIntervalAndTest) {
  const ExperimentResults results = ComputeResults(TwoVariants());
  ASSERT_EQ(results.pairs.size(), 1u);
  const PairResult& pair = results.pairs[0];
  EXPECT_EQ(pair.a, "A");
  EXPECT_EQ(pair.b, "B");
  EXPECT_EQ(pair.b_wins, 3);
  EXPECT_EQ(pair.a_wins, 1);
  EXPECT_EQ(pair.ties, 2);
  EXPECT_EQ(pair.invalid, 2);
  EXPECT_EQ(pair.judged(), 6);
  // Ties are halves: (3 + 2/2) / 6.
  EXPECT_DOUBLE_EQ(*pair.b_win_rate, 4.0 / 6);
  // Wilson, z = 1.96, p = 2/3, n = 6: centre (p + z²/12) / (1 + z²/6) = 0.601611, half-width
  // z·sqrt(p(1-p)/6 + z²/144) / (1 + z²/6) = 0.301618.
  EXPECT_NEAR(pair.ci.low, 0.299993, 1e-6);
  EXPECT_NEAR(pair.ci.high, 0.903229, 1e-6);
  // The tests saw B's outcomes of the valid judgements, in order.
  NonInferiorityTest expected(0.05, 0.95);
  for (double y : {1.0, 0.5, 1.0, 0.0, 0.5, 1.0}) expected.Add(y);
  EXPECT_EQ(pair.not_worse.n(), 6);
  EXPECT_DOUBLE_EQ(pair.not_worse.wealth(), expected.wealth());
  EXPECT_DOUBLE_EQ(pair.not_worse.margin(), 0.05);
  EXPECT_DOUBLE_EQ(pair.superiority.margin(), 0);
  EXPECT_EQ(pair.not_worse.decision(), Decision::kUndecided);
  EXPECT_EQ(pair.verdict, "Not enough evidence yet, n = 18, judged 6");
  EXPECT_EQ(results.verdict, pair.verdict);
}

TEST(ResultsTest, OnlyTiesAreHalfAWin) {
  ResultsInput input;
  input.variants = {"A", "B"};
  AddCycle(input, "B", {"tie"}, 4);
  const ExperimentResults results = ComputeResults(input);
  EXPECT_DOUBLE_EQ(*results.pairs[0].b_win_rate, 0.5);
  EXPECT_DOUBLE_EQ(*WinRate(results.variants[0]), 0.5);
  EXPECT_EQ(results.variants[0].calls, 0);  // no totals: nothing served
  EXPECT_FALSE(results.variants[0].cost_per_call_usd);
  EXPECT_FALSE(results.variants[0].latency);
}

TEST(ResultsTest, ThreeVariantsKeepTheirPairsApart) {
  ResultsInput input;
  input.variants = {"A", "B", "C"};
  input.judgements = {Pairwise("A", "B", "b_wins"),  Pairwise("A", "C", "a_wins"),
                      Pairwise("A", "C", "tie"),     Pairwise("A", "B", "b_wins"),
                      Pairwise("A", "C", "invalid"), Pairwise("A", "D", "b_wins"),
                      Pairwise("B", "C", "b_wins")};  // unknown pairs: ignored
  const ExperimentResults results = ComputeResults(input);
  ASSERT_EQ(results.pairs.size(), 2u);
  const PairResult& ab = results.pairs[0];
  const PairResult& ac = results.pairs[1];
  EXPECT_EQ(ab.b, "B");
  EXPECT_EQ(ab.b_wins, 2);
  EXPECT_EQ(ab.judged(), 2);
  EXPECT_EQ(ab.invalid, 0);
  EXPECT_EQ(ab.not_worse.n(), 2);
  EXPECT_DOUBLE_EQ(*ab.b_win_rate, 1.0);
  EXPECT_EQ(ac.b, "C");
  EXPECT_EQ(ac.a_wins, 1);
  EXPECT_EQ(ac.ties, 1);
  EXPECT_EQ(ac.invalid, 1);
  EXPECT_EQ(ac.not_worse.n(), 2);
  EXPECT_DOUBLE_EQ(*ac.b_win_rate, 0.25);
  // A took part in all four valid judgements: lost 2 to B, won 1 and tied 1 with C.
  const VariantSummary& a = results.variants[0];
  EXPECT_EQ(a.judged, 4);
  EXPECT_EQ(a.wins, 1);
  EXPECT_EQ(a.losses, 2);
  EXPECT_EQ(a.ties, 1);
  EXPECT_EQ(results.variants[1].judged, 2);
  EXPECT_EQ(results.variants[1].wins, 2);
  EXPECT_EQ(results.variants[2].judged, 2);
  EXPECT_EQ(results.variants[2].losses, 1);
  EXPECT_EQ(results.verdict,
            "Not enough evidence yet, n = 0, judged 2; Not enough evidence yet, "
            "n = 0, judged 2");
}

TEST(ResultsTest, ScoreModeMeansAndNoTest) {
  ResultsInput input;
  input.variants = {"A", "B", "C"};
  input.mode = "score";
  input.judgements = {Scored("A", 8), Scored("B", 6), Scored("A", 7), Scored("B", std::nullopt),
                      Pairwise("A", "B", "b_wins")};  // another mode's row: not a score
  const ExperimentResults results = ComputeResults(input);
  EXPECT_TRUE(results.pairs.empty());
  EXPECT_EQ(results.variants[0].judged, 2);
  EXPECT_DOUBLE_EQ(*results.variants[0].mean_score, 7.5);
  EXPECT_EQ(results.variants[1].judged, 1);  // the invalid score is not counted
  EXPECT_DOUBLE_EQ(*results.variants[1].mean_score, 6.0);
  EXPECT_FALSE(results.variants[2].mean_score);
  EXPECT_EQ(results.variants[0].wins + results.variants[0].losses + results.variants[0].ties, 0);
  EXPECT_EQ(results.verdict,
            "Score mode gives no significance test: A mean score 7.5 (judged 2), B mean score "
            "6.0 (judged 1), C not scored yet");
  EXPECT_EQ(PromotionChoice(results, "winner"), std::nullopt);
  EXPECT_EQ(PromotionChoice(results, "cheapest_not_worse"), std::nullopt);
}

TEST(ResultsTest, ScoreModeFallsBackToTheServedVariant) {
  ResultsInput input;
  input.variants = {"A", "B"};
  input.mode = "score";
  input.judgements = {{"", "", "B", "score", "scored", 9}};
  EXPECT_DOUBLE_EQ(*ComputeResults(input).variants[1].mean_score, 9.0);
}

// Costs per call: A $0.01, B $0.004, C $0.002.
ResultsInput Priced(std::vector<std::string> variants) {
  ResultsInput input;
  input.variants = variants;
  const std::int64_t nanos[] = {10'000'000, 4'000'000, 2'000'000};
  for (std::size_t i = 0; i < variants.size(); ++i) {
    input.totals.push_back({variants[i], 1, 0, nanos[i], 0, {}});
  }
  return input;
}

const std::vector<std::string> kMostlyB = {"b_wins", "b_wins", "b_wins", "a_wins"};
const std::vector<std::string> kMostlyA = {"a_wins", "a_wins", "a_wins", "b_wins"};
const std::vector<std::string> kEven = {"tie"};

TEST(ResultsTest, WinnerWithTwoVariants) {
  ResultsInput input = Priced({"A", "B"});
  // No evidence yet.
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "winner"), std::nullopt);
  AddCycle(input, "B", kMostlyB, 400);
  ExperimentResults results = ComputeResults(input);
  EXPECT_EQ(results.pairs[0].superiority.decision(), Decision::kNotWorse);
  EXPECT_EQ(PromotionChoice(results, "winner"), "B");

  input.judgements.clear();
  AddCycle(input, "B", kMostlyA, 400);
  results = ComputeResults(input);
  EXPECT_EQ(results.pairs[0].superiority.decision(), Decision::kWorse);
  EXPECT_EQ(PromotionChoice(results, "winner"), "A");
  EXPECT_EQ(PromotionChoice(results, "cheapest_not_worse"), "A");  // B is worse: A alone
  EXPECT_EQ(PromotionChoice(results, "fastest"), std::nullopt);
}

TEST(ResultsTest, EvenVariantsHaveNoWinnerButACheaperOne) {
  ResultsInput input = Priced({"A", "B"});
  AddCycle(input, "B", kEven, 400);
  ExperimentResults results = ComputeResults(input);
  EXPECT_EQ(results.pairs[0].not_worse.decision(), Decision::kNotWorse);
  EXPECT_EQ(results.pairs[0].superiority.decision(), Decision::kUndecided);
  EXPECT_EQ(PromotionChoice(results, "winner"), std::nullopt);
  EXPECT_EQ(PromotionChoice(results, "cheapest_not_worse"), "B");
  EXPECT_EQ(results.verdict,
            "B is not worse than A (margin 5 points) at 60% less cost per call, n = 2, judged 400");

  // B's cost unknown: A is the cheapest whose cost is known.
  input.totals[1].unpriced_calls = 1;
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "cheapest_not_worse"), "A");
}

TEST(ResultsTest, WinnerAmongSeveral) {
  ResultsInput input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kMostlyB, 400);    // B: 0.75
  AddCycle(input, "C", {"b_wins"}, 400);  // C: 1.0
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "winner"), "C");

  input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kMostlyB, 400);
  AddCycle(input, "C", kEven, 400);  // C undecided against A: B is still better than A
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "winner"), "B");

  input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kMostlyA, 400);
  AddCycle(input, "C", kEven, 400);  // A better than B, but not (yet) than C
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "winner"), std::nullopt);

  input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kMostlyA, 400);
  AddCycle(input, "C", kMostlyA, 400);
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "winner"), "A");
}

TEST(ResultsTest, CheapestNotWorseAmongSeveral) {
  ResultsInput input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kEven, 400);
  // C is still open, and might be the cheapest not worse.
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "cheapest_not_worse"), std::nullopt);
  AddCycle(input, "C", kEven, 400);
  ExperimentResults results = ComputeResults(input);
  EXPECT_EQ(PromotionChoice(results, "cheapest_not_worse"), "C");  // $0.002 beats $0.004
  EXPECT_NE(results.verdict.find("; C is not worse than A"), std::string::npos) << results.verdict;

  input = Priced({"A", "B", "C"});
  AddCycle(input, "B", kEven, 400);
  AddCycle(input, "C", kMostlyA, 400);  // C worse: out
  EXPECT_EQ(PromotionChoice(ComputeResults(input), "cheapest_not_worse"), "B");
}

TEST(ResultsTest, NoVariants) {
  const ExperimentResults results = ComputeResults(ResultsInput{});
  EXPECT_TRUE(results.variants.empty());
  EXPECT_EQ(PromotionChoice(results, "winner"), std::nullopt);
}

}  // namespace
}  // namespace switchyard::experiments

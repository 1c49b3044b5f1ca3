// An `ab` route's experiment (CONTRACT.md "Route shapes"; issue 17): variants, judge, promote,
// the epoch, and what cannot be an experiment.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::HasProblem;
using testing_util::Load;

// Routes start on line 5.
constexpr std::string_view kProviders =
    "providers:\n  openai: {}\n  anthropic: {}\n  groq: {}\nroutes:\n";

LoadResult LoadRoutes(std::string_view routes) {
  return Load(std::string(kProviders) + std::string(routes));
}

TEST(ExperimentConfigTest, ReadsTheContractsExample) {
  LoadResult result = LoadRoutes(
      "  trial: { strategy: ab, variants: [ { name: a, target: openai/gpt-4o, share: 50 },\n"
      "                                      { name: b, target: openai/gpt-4o-mini, share: 50 } "
      "],\n"
      "           sticky: user, judge: { model: anthropic/claude-sonnet-4-5, sample: 0.2,\n"
      "                                  mode: pairwise } }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig& route = result.config->routes[0];
  EXPECT_EQ(route.strategy, "ab");
  EXPECT_EQ(route.sticky, "user");
  ASSERT_TRUE(route.experiment);
  const ExperimentConfig& experiment = *route.experiment;
  ASSERT_EQ(experiment.variants.size(), 2u);
  EXPECT_EQ(experiment.variants[0].name, "a");
  EXPECT_EQ(experiment.variants[1].target, "openai/gpt-4o-mini");
  // The variants are the route's targets too, with their shares as weights.
  ASSERT_EQ(route.targets.size(), 2u);
  EXPECT_EQ(route.targets[1].model, "openai/gpt-4o-mini");
  EXPECT_EQ(route.targets[1].weight, 50);
  ASSERT_TRUE(experiment.judge);
  EXPECT_EQ(experiment.judge->model, "anthropic/claude-sonnet-4-5");
  EXPECT_DOUBLE_EQ(experiment.judge->sample, 0.2);
  EXPECT_EQ(experiment.judge->mode, "pairwise");
  EXPECT_DOUBLE_EQ(experiment.judge->margin, 0.05);  // the defaults
  EXPECT_DOUBLE_EQ(experiment.judge->confidence, 0.95);
  EXPECT_FALSE(experiment.judge->max_nanos_per_day);
  EXPECT_FALSE(experiment.promote.enabled);
  EXPECT_EQ(experiment.promote.to, "winner");
  EXPECT_DOUBLE_EQ(experiment.promote.keep_sample, 0.05);
  EXPECT_EQ(experiment.epoch.size(), 13u);
  EXPECT_EQ(experiment.epoch[0], 'e');
  EXPECT_TRUE(result.warnings.empty());
}

TEST(ExperimentConfigTest, ReadsEveryJudgeAndPromotionKey) {
  LoadResult result = LoadRoutes(
      "  t:\n"
      "    strategy: ab\n"
      "    variants: [ { name: a, target: openai/x, share: 0.7 }, { name: b, target: groq/y, "
      "share: 0.3 } ]\n"
      "    judge: { model: anthropic/j, sample: 0.5, mode: score, prompt: 'Grade it. {rubric}',\n"
      "             rubric: 'Be strict.', max_usd: 2.5, margin: 0.1, confidence: 0.99,\n"
      "             timeout_ms: 5000, max_tokens: 64 }\n"
      "    promote: { enabled: false, to: cheapest_not_worse, keep_sample: 0.1 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const ExperimentJudge& judge = *result.config->routes[0].experiment->judge;
  EXPECT_EQ(judge.mode, "score");
  EXPECT_EQ(judge.prompt, "Grade it. {rubric}");
  EXPECT_EQ(judge.rubric, "Be strict.");
  EXPECT_EQ(judge.max_nanos_per_day, 2'500'000'000);
  EXPECT_DOUBLE_EQ(judge.margin, 0.1);
  EXPECT_DOUBLE_EQ(judge.confidence, 0.99);
  EXPECT_EQ(judge.timeout_ms, 5000);
  EXPECT_EQ(judge.max_tokens, 64);
  const ExperimentPromotion& promote = result.config->routes[0].experiment->promote;
  EXPECT_EQ(promote.to, "cheapest_not_worse");
  EXPECT_DOUBLE_EQ(promote.keep_sample, 0.1);
}

TEST(ExperimentConfigTest, AChangeToTheVariantsIsANewEpoch) {
  auto epoch = [](std::string_view variants) {
    LoadResult result =
        LoadRoutes(std::string("  t: { strategy: ab, variants: ") + std::string(variants) + " }\n");
    EXPECT_TRUE(result.config) << Dump(result);
    return result.config ? result.config->routes[0].experiment->epoch : std::string();
  };
  const std::string base = epoch("[{name: a, target: openai/x}, {name: b, target: openai/y}]");
  EXPECT_EQ(base, epoch("[{name: a, target: openai/x}, {name: b, target: openai/y}]"));
  EXPECT_NE(base, epoch("[{name: a, target: openai/x}, {name: b, target: openai/z}]"));
  EXPECT_NE(base, epoch("[{name: a, target: openai/x}, {name: c, target: openai/y}]"));
  EXPECT_NE(base, epoch("[{name: a, target: openai/x, share: 2}, {name: b, target: openai/y}]"));
  // Fields do not run together: "ab" + "c" is not "a" + "bc".
  EXPECT_NE(epoch("[{name: ab, target: openai/x}, {name: c, target: openai/y}]"),
            epoch("[{name: a, target: openai/x}, {name: bc, target: openai/y}]"));
}

// An epoch that changed between versions would restart every experiment on upgrade: this one is
// demo-ab's (README, "A/B testing"), pinned.
TEST(ExperimentConfigTest, TheEpochIsStableAcrossVersions) {
  const std::vector<ExperimentVariant> variants = {{"smart", "demo/demo-smart", 50, 0},
                                                   {"fast", "demo/demo-fast", 50, 0}};
  EXPECT_EQ(ExperimentEpoch("demo-ab", variants), "ec01d5492cbd4");
}

TEST(ExperimentConfigTest, BadExperimentsAreReportedAtTheirLines) {
  LoadResult result = LoadRoutes(
      "  t:\n"                                                          // 6
      "    strategy: ab\n"                                              // 7
      "    targets: [ openai/a ]\n"                                     // 8
      "    variants:\n"                                                 // 9
      "      - { name: a, target: openai/a, share: -1 }\n"              // 10
      "      - { name: a, target: openai/b }\n"                         // 11
      "      - { target: openai/c }\n"                                  // 12
      "    judge: { sample: 2, mode: vote }\n"                          // 13
      "    promote: { enabled: true, to: anyone }\n"                    // 14
      "  u: { targets: [ openai/a ], judge: { model: openai/j } }\n");  // 15
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 8, "targets is not for strategy ab")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 10, "share must be a number from 0 to")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 11, "two variants named 'a'")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 12, "needs a name and a target")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 13, "needs a model")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 13, "sample must be a number from 0 to 1")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 13, "mode must be one of")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 14, "to must be one of")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 14, "promotion needs a pairwise judge")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 15, "judge is only for strategy ab")) << Dump(result);
}

TEST(ExperimentConfigTest, NeedsTwoVariantsAndAPositiveShare) {
  LoadResult one =
      LoadRoutes("  t: { strategy: ab, variants: [ { name: a, target: openai/a } ] }\n");
  EXPECT_TRUE(HasProblem(one, 6, "needs 2 to 16 variants (it has 1)")) << Dump(one);
  LoadResult none = LoadRoutes("  t: { strategy: ab }\n");
  EXPECT_TRUE(HasProblem(none, 6, "needs a list of variants")) << Dump(none);
  LoadResult zero = LoadRoutes(
      "  t: { strategy: ab, variants: [ { name: a, target: openai/a, share: 0 },\n"
      "                                 { name: b, target: openai/b, share: 0 } ] }\n");
  EXPECT_TRUE(HasProblem(zero, 6, "at least one variant needs a positive share")) << Dump(zero);
}

TEST(ExperimentConfigTest, VariantsAndJudgeMustBeReachable) {
  LoadResult result = LoadRoutes(
      "  t: { strategy: ab, variants: [ { name: a, target: openai/a },\n"
      "                                 { name: b, target: nowhere/b } ],\n"
      "       judge: { model: nowhere/j } }\n"
      "  u: { targets: [ t ] }\n");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 7, "names provider 'nowhere'")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 8, "the judge 'nowhere/j' of route 't' must be")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 9, "names the ab route 't' as a target")) << Dump(result);
}

TEST(ExperimentConfigTest, AVariantMayBeARoute) {
  LoadResult result = LoadRoutes(
      "  sturdy: { strategy: fallback, targets: [ openai/a, groq/a ] }\n"
      "  t: { strategy: ab, variants: [ { name: a, target: sturdy }, { name: b, target: groq/b } "
      "],\n"
      "       judge: { model: sturdy } }\n");
  EXPECT_TRUE(result.config) << Dump(result);
}

TEST(ExperimentConfigTest, WarnsWhenTheJudgeSharesAVariantsModelFamily) {
  LoadResult result = LoadRoutes(
      "  t: { strategy: ab, variants: [ { name: a, target: openai/gpt-4o },\n"
      "                                 { name: b, target: groq/llama-3.3-70b } ],\n"
      "       judge: { model: openai/gpt-4.1 } }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].line, 8);
  EXPECT_NE(result.warnings[0].message.find("same model family ('gpt') as variant 'a'"),
            std::string::npos)
      << result.warnings[0].message;
  LoadResult other = LoadRoutes(
      "  t: { strategy: ab, variants: [ { name: a, target: openai/gpt-4o },\n"
      "                                 { name: b, target: groq/llama-3.3-70b } ],\n"
      "       judge: { model: anthropic/claude-sonnet-4-5 } }\n");
  ASSERT_TRUE(other.config) << Dump(other);
  EXPECT_TRUE(other.warnings.empty());
}

TEST(ExperimentConfigTest, RefreshInterval) {
  LoadResult result = Load("experiments: { refresh_ms: 250 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->experiment_refresh.count(), 250);
  EXPECT_EQ(Load("").config->experiment_refresh.count(), 2000);
}

}  // namespace
}  // namespace switchyard::config

// `routes:` — targets, strategies, retry, route-to-route references and cycles.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "config/config_loader.h"
#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::HasProblem;
using testing_util::Load;

// Providers every test can target; routes start on line 4.
constexpr std::string_view kProviders = "providers:\n  openai: {}\n  openrouter: {}\nroutes:\n";

LoadResult LoadRoutes(std::string_view routes) {
  return Load(std::string(kProviders) + std::string(routes));
}

TEST(RoutesConfigTest, StringTargetsWithFallbackAndRetry) {
  LoadResult result = LoadRoutes(
      "  resilient:\n"
      "    strategy: fallback\n"
      "    targets: [ openai/gpt-4o-mini, openrouter/meta-llama/llama-3 ]\n"
      "    retry: { attempts: 2, on: [429, 503] }\n"
      "    sticky: user\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig* route = result.config->FindRoute("resilient");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->strategy, "fallback");
  EXPECT_EQ(route->line, 5);
  ASSERT_EQ(route->targets.size(), 2u);
  EXPECT_EQ(route->targets[0].model, "openai/gpt-4o-mini");
  EXPECT_EQ(route->targets[1].model, "openrouter/meta-llama/llama-3");
  EXPECT_EQ(route->targets[0].weight, 1);
  EXPECT_EQ(route->targets[0].line, 7);
  EXPECT_TRUE(route->targets[0].params_json.empty());
  EXPECT_EQ(route->retry.attempts, 2);
  EXPECT_EQ(route->retry.on_status, (std::vector<int>{429, 503}));
  EXPECT_FALSE(route->retry.deadline) << "no deadline unless one is given";
  EXPECT_EQ(route->sticky, "user");
}

TEST(RoutesConfigTest, RetryDeadline) {
  LoadResult result = LoadRoutes(
      "  bounded:\n"
      "    targets: [ openai/gpt-4o-mini, openrouter/meta-llama/llama-3 ]\n"
      "    retry: { attempts: 3, deadline_ms: 2500 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig* route = result.config->FindRoute("bounded");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->retry.attempts, 3);
  EXPECT_EQ(route->retry.deadline, std::chrono::milliseconds(2500));
}

TEST(RoutesConfigTest, BadRetryDeadlineNamesItsLine) {
  LoadResult result = LoadRoutes(
      "  bounded:\n"
      "    targets: [ openai/gpt-4o-mini ]\n"
      "    retry:\n"
      "      attempts: 2\n"
      "      deadline_ms: soon\n");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 9, "routes.bounded.retry.deadline_ms must be a positive whole "
                                    "number of milliseconds (got 'soon')"))
      << Dump(result);
}

TEST(RoutesConfigTest, ObjectTargetsWithParams) {
  LoadResult result = LoadRoutes(
      "  tuned:\n"
      "    strategy: single\n"
      "    targets:\n"
      "      - model: openai/gpt-4o\n"
      "        weight: 7\n"
      "        timeout_ms: 1500\n"
      "        params: { temperature: 0.2, max_tokens: 100, stream: false, stop: null,\n"
      "                  user: abc, quoted: '5', seed: -3, nested: { a: [1, \"x\", 1e3] } }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteTarget& target = result.config->routes.at(0).targets.at(0);
  EXPECT_EQ(target.model, "openai/gpt-4o");
  EXPECT_EQ(target.weight, 7);
  EXPECT_EQ(target.timeout, Millis(1500));
  EXPECT_EQ(target.params_json,
            R"({"temperature":0.2,"max_tokens":100,"stream":false,"stop":null,"user":"abc",)"
            R"("quoted":"5","seed":-3,"nested":{"a":[1,"x",1000]}})");
}

TEST(RoutesConfigTest, ParamsStringsAreEscaped) {
  LoadResult result =
      LoadRoutes("  r: { targets: [ { model: openai/x, params: { s: \"a\\\"b\\\\c\\n\" } } ] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->routes.at(0).targets.at(0).params_json, R"({"s":"a\"b\\c\n"})");
}

TEST(RoutesConfigTest, StrategyDefaultsFromTargetCount) {
  LoadResult result = LoadRoutes(
      "  one: { targets: [openai/a] }\n"
      "  two: { targets: [openai/a, openai/b] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->FindRoute("one")->strategy, "single");
  EXPECT_EQ(result.config->FindRoute("two")->strategy, "fallback");
}

TEST(RoutesConfigTest, TargetMayNameAnotherRouteInAnyOrder) {
  LoadResult result = LoadRoutes(
      "  outer: { strategy: fallback, targets: [inner, openai/b] }\n"
      "  inner: { strategy: single, targets: [openai/a] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->FindRoute("outer")->targets[0].model, "inner");
}

TEST(RoutesConfigTest, BadTargets) {
  LoadResult result = LoadRoutes(
      "  r:\n"                                    // 5
      "    strategy: fallback\n"                  // 6
      "    targets:\n"                            // 7
      "      - groq/llama\n"                      // 8: groq is known but not configured
      "      - openai/\n"                         // 9
      "      - /gpt\n"                            // 10
      "      - nowhere\n"                         // 11
      "      - { weight: 2 }\n"                   // 12
      "      - { model: openai/a, weight: 0 }\n"  // 13
      "      - [openai/a]\n");                    // 14
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 8,
                         "target 'groq/llama' of route 'r' names provider 'groq', "
                         "which is not configured"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 9, "target 'openai/' of route 'r' must be provider/model"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 10, "target '/gpt' of route 'r' must be provider/model"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 11,
                         "target 'nowhere' of route 'r' is neither provider/model "
                         "nor the name of a route"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 12, "routes.r.targets[4] needs a model")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 13, "routes.r.targets[5].weight must be a positive number"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 14, "routes.r.targets[6] must be a provider/model string"))
      << Dump(result);
  EXPECT_EQ(result.problems.size(), 7u) << Dump(result);
}

TEST(RoutesConfigTest, TargetsMustBeANonEmptyList) {
  EXPECT_TRUE(HasProblem(LoadRoutes("  r: { strategy: fallback }\n"), 5,
                         "route 'r' needs a non-empty list of targets"));
  EXPECT_TRUE(HasProblem(LoadRoutes("  r: { targets: [] }\n"), 5,
                         "route 'r' needs a non-empty list of targets"));
  EXPECT_TRUE(HasProblem(LoadRoutes("  r: { targets: openai/a }\n"), 5,
                         "route 'r' needs a non-empty list of targets"));
}

TEST(RoutesConfigTest, CyclesAreReported) {
  LoadResult pair = LoadRoutes("  a: { targets: [b] }\n  b: { targets: [a] }\n");
  EXPECT_FALSE(pair.config);
  EXPECT_TRUE(HasProblem(pair, 5, "routes form a cycle: a -> b -> a")) << Dump(pair);
  EXPECT_EQ(pair.problems.size(), 1u) << Dump(pair);

  LoadResult self = LoadRoutes("  x: { strategy: fallback, targets: [openai/a, x] }\n");
  EXPECT_TRUE(HasProblem(self, 5, "routes form a cycle: x -> x")) << Dump(self);

  LoadResult diamond = LoadRoutes(
      "  top: { targets: [l, r] }\n  l: { targets: [leaf] }\n"
      "  r: { targets: [leaf] }\n  leaf: { targets: [openai/a] }\n");
  EXPECT_TRUE(diamond.config) << Dump(diamond);
}

// Routes within routes: at most limits.max_route_depth levels (default 4), the outer one counted;
// deeper is a config error at the outer route's line, naming the chain (issue 11, defect 8).
TEST(RoutesConfigTest, NestingDeeperThanTheDepthLimitIsAnError) {
  const std::string chain4 =
      "  r1: { targets: [r2] }\n"            // 5
      "  r2: { targets: [openai/a, r3] }\n"  // 6
      "  r3: { targets: [r4] }\n"            // 7
      "  r4: { targets: [openai/b] }\n";     // 8
  LoadResult four = LoadRoutes(chain4);
  EXPECT_TRUE(four.config) << Dump(four);

  LoadResult five = LoadRoutes("  r0: { targets: [openai/x, r1] }\n" + chain4);
  EXPECT_FALSE(five.config);
  EXPECT_TRUE(HasProblem(five, 5,
                         "route 'r0' nests routes 5 deep (r0 -> r1 -> r2 -> r3 -> r4); "
                         "limits.max_route_depth is 4"))
      << Dump(five);
  EXPECT_EQ(five.problems.size(), 1u) << Dump(five);

  LoadResult raised = Load("limits: { max_route_depth: 5 }\n" + std::string(kProviders) +
                           "  r0: { targets: [openai/x, r1] }\n" + chain4);
  EXPECT_TRUE(raised.config) << Dump(raised);
  EXPECT_EQ(raised.config->route_limits.max_depth, 5);

  LoadResult flat = Load("limits: { max_route_depth: 1 }\n" + std::string(kProviders) +
                         "  solo: { targets: [openai/x] }\n  outer: { targets: [solo] }\n");
  EXPECT_TRUE(HasProblem(flat, 7, "route 'outer' nests routes 2 deep (outer -> solo); "
                                  "limits.max_route_depth is 1"))
      << Dump(flat);
}

TEST(RoutesConfigTest, RouteLimitsDefaultsAndBadValues) {
  LoadResult defaults = LoadRoutes("  r: { targets: [openai/a] }\n");
  ASSERT_TRUE(defaults.config) << Dump(defaults);
  EXPECT_EQ(defaults.config->route_limits.max_inline_targets, 16);
  EXPECT_EQ(defaults.config->route_limits.max_depth, 4);
  for (std::string_view value : {"0", "-1", "abc", "1.5"}) {
    LoadResult bad = Load(fmt::format(
        "limits:\n  max_inline_route_targets: {0}\n  max_route_depth: {0}\n", value));
    EXPECT_TRUE(HasProblem(bad, 2, "limits.max_inline_route_targets must be an integer from 1"))
        << value << "\n" << Dump(bad);
    EXPECT_TRUE(HasProblem(bad, 3, "limits.max_route_depth must be an integer from 1"))
        << value << "\n" << Dump(bad);
  }
}

// race and hedge (issue 13): their own keys, each checked at its line.
TEST(RoutesConfigTest, RaceWithCapsAndAccept) {
  LoadResult result = LoadRoutes(
      "  quick:\n"
      "    strategy: race\n"
      "    targets: [ openai/a, { model: openrouter/b, timeout_ms: 2000 }, openai/c ]\n"
      "    max_parallel: 2\n"
      "    max_cost_usd: 0.05\n"
      "    accept: { non_empty: true }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig& route = result.config->routes[0];
  EXPECT_EQ(route.strategy, "race");
  ASSERT_EQ(route.targets.size(), 3u);
  EXPECT_EQ(route.targets[1].model, "openrouter/b");
  EXPECT_EQ(route.targets[1].timeout, Millis(2000));
  EXPECT_EQ(route.max_parallel, 2);
  EXPECT_EQ(route.max_cost_nanos, 50'000'000);
  EXPECT_EQ(route.hedge.fixed, Millis(0));
  EXPECT_EQ(route.hedge.quantile, std::nullopt);
}

TEST(RoutesConfigTest, RaceCapsDefaultToNone) {
  LoadResult result = LoadRoutes("  quick: { strategy: race, targets: [ openai/a, openai/b ] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->routes[0].max_parallel, std::nullopt);
  EXPECT_EQ(result.config->routes[0].max_cost_nanos, std::nullopt);
  EXPECT_FALSE(result.config->routes[0].accept.any());
}

TEST(RoutesConfigTest, MaxCostIsReadExactly) {
  // 0.3 and 0.000000001 have no exact double: through one they would not come out whole.
  const std::pair<std::string_view, std::int64_t> cases[] = {{"0.3", 300'000'000},
                                                             {"0.000000001", 1},
                                                             {"2", 2'000'000'000},
                                                             {"1000000", 1'000'000'000'000'000}};
  for (const auto& [text, nanos] : cases) {
    LoadResult result =
        LoadRoutes(fmt::format("  q: {{ strategy: hedge, delay_ms: 1, targets: [openai/a, "
                               "openai/b], max_cost_usd: {} }}\n",
                               text));
    ASSERT_TRUE(result.config) << text << "\n" << Dump(result);
    EXPECT_EQ(result.config->routes[0].max_cost_nanos, nanos) << text;
  }
}

TEST(RoutesConfigTest, HedgeWithAFixedDelay) {
  const std::pair<std::string_view, int> delays[] = {{"300", 300}, {"0", 0}, {"600000", 600'000}};
  for (const auto& [text, millis] : delays) {
    LoadResult result = LoadRoutes(fmt::format(
        "  tail: {{ strategy: hedge, targets: [openai/a, openai/b], delay_ms: {} }}\n", text));
    ASSERT_TRUE(result.config) << text << "\n" << Dump(result);
    const RouteConfig& route = result.config->routes[0];
    EXPECT_EQ(route.strategy, "hedge");
    EXPECT_EQ(route.hedge.fixed, Millis(millis)) << text;
    EXPECT_EQ(route.hedge.quantile, std::nullopt) << text;
  }
}

TEST(RoutesConfigTest, HedgeAfterAQuantileFloorsAt500MsUnlessDelayMsIsGiven) {
  const std::pair<std::string_view, double> quantiles[] = {
      {"p50", 0.50}, {"p75", 0.75}, {"p90", 0.90}, {"p95", 0.95}, {"p99", 0.99}};
  for (const auto& [name, quantile] : quantiles) {
    LoadResult result = LoadRoutes(fmt::format(
        "  tail: {{ strategy: hedge, targets: [openai/a, openai/b], delay: {} }}\n", name));
    ASSERT_TRUE(result.config) << name << "\n" << Dump(result);
    EXPECT_EQ(result.config->routes[0].hedge.quantile, quantile) << name;
    EXPECT_EQ(result.config->routes[0].hedge.fixed, Millis(500)) << name;
  }
  LoadResult both = LoadRoutes(
      "  tail: { strategy: hedge, targets: [openai/a, openai/b], delay: p90, delay_ms: 200 }\n");
  ASSERT_TRUE(both.config) << Dump(both);
  EXPECT_EQ(both.config->routes[0].hedge.quantile, 0.90);
  EXPECT_EQ(both.config->routes[0].hedge.fixed, Millis(200));
}

TEST(RoutesConfigTest, HedgeNeedsADelay) {
  LoadResult result = LoadRoutes(
      "  tail:\n"
      "    strategy: hedge\n"
      "    targets: [ openai/a, openai/b ]\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.problems.size(), 1u) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 5,
                         "route 'tail' uses strategy hedge and needs delay_ms or delay "
                         "(p50, p75, p90, p95, p99)"))
      << Dump(result);
}

TEST(RoutesConfigTest, RaceAndHedgeNeedTwoTargets) {
  for (std::string_view strategy : {"race", "hedge"}) {
    LoadResult result =
        LoadRoutes(fmt::format("  r:\n"
                               "    strategy: {}\n"
                               "    delay_ms: 100\n"
                               "    targets: [ openai/a ]\n",
                               strategy));
    if (strategy == "race") {
      // delay_ms is a problem of its own on a race.
      EXPECT_EQ(result.problems.size(), 2u) << Dump(result);
    } else {
      EXPECT_EQ(result.problems.size(), 1u) << Dump(result);
    }
    EXPECT_TRUE(HasProblem(result, 8,
                           fmt::format("route 'r' uses strategy {}, which needs at "
                                       "least 2 targets (it has 1)",
                                       strategy)))
        << Dump(result);
  }
  // An empty list is reported once, as for every strategy.
  LoadResult empty = LoadRoutes("  r: { strategy: race, targets: [] }\n");
  ASSERT_EQ(empty.problems.size(), 1u) << Dump(empty);
  EXPECT_TRUE(HasProblem(empty, 5, "route 'r' needs a non-empty list of targets")) << Dump(empty);
}

TEST(RoutesConfigTest, BadRaceAndHedgeValues) {
  struct Case {
    std::string keys;
    std::string expected;
  };
  const Case cases[] = {
      {"max_parallel: 0",
       "routes.r.max_parallel must be an integer from 1 to 8, "
       "routing.max_parallel_attempts (got '0')"},
      {"max_parallel: -1", "routes.r.max_parallel must be an integer from 1 to 8"},
      {"max_parallel: 1.5", "routes.r.max_parallel must be an integer from 1 to 8"},
      {"max_parallel: two", "routes.r.max_parallel must be an integer from 1 to 8"},
      {"max_parallel: 9",
       "routes.r.max_parallel must be an integer from 1 to 8, "
       "routing.max_parallel_attempts (got '9')"},
      {"max_parallel: [2]",
       "routes.r.max_parallel must be an integer from 1 to 8, "
       "routing.max_parallel_attempts (got 'a map or a list')"},
      {"max_cost_usd: 0",
       "routes.r.max_cost_usd must be a positive amount of USD with at most 9 "
       "decimals, up to 1000000 (got '0')"},
      {"max_cost_usd: -0.5", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"max_cost_usd: 0.0000000001", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"max_cost_usd: 1e-3", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"max_cost_usd: .5", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"max_cost_usd: 1000001", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"max_cost_usd: '$1'", "routes.r.max_cost_usd must be a positive amount of USD"},
      {"delay_ms: -1", "routes.r.delay_ms must be an integer from 0 to 600000 (got '-1')"},
      {"delay_ms: 600001", "routes.r.delay_ms must be an integer from 0 to 600000"},
      {"delay_ms: 1.5", "routes.r.delay_ms must be an integer from 0 to 600000"},
      {"delay: p80", "routes.r.delay must be one of p50|p75|p90|p95|p99 (got 'p80')"},
      {"delay: 90", "routes.r.delay must be one of p50|p75|p90|p95|p99"},
      {"delay: P90", "routes.r.delay must be one of p50|p75|p90|p95|p99"},
  };
  for (const Case& c : cases) {
    LoadResult result = LoadRoutes(
        "  r:\n"
        "    strategy: hedge\n"
        "    targets: [ openai/a, openai/b ]\n" +
        std::string(c.keys.starts_with("delay") ? "" : "    delay_ms: 10\n") + "    " + c.keys +
        "\n");
    EXPECT_FALSE(result.config) << c.keys;
    EXPECT_EQ(result.problems.size(), 1u) << c.keys << "\n" << Dump(result);
    const int line = c.keys.starts_with("delay") ? 8 : 9;
    EXPECT_TRUE(HasProblem(result, line, c.expected)) << c.keys << "\n" << Dump(result);
  }
}

TEST(RoutesConfigTest, RaceAndHedgeKeysAreOnlyForThem) {
  for (std::string_view strategy :
       {"single", "fallback", "loadbalance", "cheapest", "fastest", "conditional", ""}) {
    const std::string shape =
        strategy == "conditional"
            ? "    strategy: conditional\n    conditions: [ { when: {}, target: openai/a } ]\n"
              "    default: openai/b\n"
        : strategy.empty()
            ? "    targets: [ openai/a ]\n    retry: { attempts: 1 }\n    sticky: u\n"
            : fmt::format(
                  "    strategy: {}\n    targets: [ openai/a ]\n"
                  "    sticky: u\n",
                  strategy);
    LoadResult result = LoadRoutes("  r:\n" + shape +                   // lines 5 to 8
                                   "    accept: { non_empty: true }\n"  // 9
                                   "    max_parallel: 2\n"              // 10
                                   "    max_cost_usd: 1\n"              // 11
                                   "    delay_ms: 100\n"                // 12
                                   "    delay: p90\n");                 // 13
    EXPECT_FALSE(result.config) << strategy;
    EXPECT_EQ(result.problems.size(), 5u) << strategy << "\n" << Dump(result);
    const std::pair<int, std::string_view> keys[] = {
        {9, "accept"}, {10, "max_parallel"}, {11, "max_cost_usd"}};
    for (const auto& [line, key] : keys) {
      EXPECT_TRUE(HasProblem(result, line,
                             fmt::format("routes.r.{} is only for strategy race or hedge", key)))
          << strategy << "\n"
          << Dump(result);
    }
    EXPECT_TRUE(HasProblem(result, 12, "routes.r.delay_ms is only for strategy hedge"))
        << strategy << "\n"
        << Dump(result);
    EXPECT_TRUE(HasProblem(result, 13, "routes.r.delay is only for strategy hedge"))
        << strategy << "\n"
        << Dump(result);
  }
  // The hedge's delays are not a race's.
  LoadResult race = LoadRoutes(
      "  r:\n"
      "    strategy: race\n"
      "    targets: [ openai/a, openai/b ]\n"
      "    delay_ms: 100\n"
      "    delay: p90\n");
  EXPECT_EQ(race.problems.size(), 2u) << Dump(race);
  EXPECT_TRUE(HasProblem(race, 8, "routes.r.delay_ms is only for strategy hedge")) << Dump(race);
  EXPECT_TRUE(HasProblem(race, 9, "routes.r.delay is only for strategy hedge")) << Dump(race);
}

TEST(RoutesConfigTest, RoutingMaxParallelAttemptsCapsRoutes) {
  LoadResult defaults = LoadRoutes("  r: { targets: [openai/a] }\n");
  ASSERT_TRUE(defaults.config) << Dump(defaults);
  EXPECT_EQ(defaults.config->routing.max_parallel_attempts, 8);
  // Written after routes on purpose: routing is read first whatever the file's order.
  auto race = [](int max_parallel) {
    return LoadRoutes(
        fmt::format("  r: {{ strategy: race, targets: [openai/a, openai/b, openai/c, "
                    "openai/d], max_parallel: {} }}\n"
                    "routing: {{ max_parallel_attempts: 3 }}\n",
                    max_parallel));
  };
  LoadResult within = race(3);
  ASSERT_TRUE(within.config) << Dump(within);
  EXPECT_EQ(within.config->routing.max_parallel_attempts, 3);
  EXPECT_EQ(within.config->routes[0].max_parallel, 3);
  LoadResult over = race(4);
  EXPECT_FALSE(over.config);
  ASSERT_EQ(over.problems.size(), 1u) << Dump(over);
  EXPECT_TRUE(HasProblem(over, 5,
                         "routes.r.max_parallel must be an integer from 1 to 3, "
                         "routing.max_parallel_attempts (got '4')"))
      << Dump(over);
  LoadResult top = Load("routing: { max_parallel_attempts: 64 }\n");
  ASSERT_TRUE(top.config) << Dump(top);
  EXPECT_EQ(top.config->routing.max_parallel_attempts, 64);
}

TEST(RoutesConfigTest, BadRoutingSection) {
  for (std::string_view value : {"0", "65", "-1", "abc", "2.5"}) {
    LoadResult bad = Load(fmt::format("routing:\n  max_parallel_attempts: {}\n", value));
    EXPECT_FALSE(bad.config) << value;
    EXPECT_TRUE(HasProblem(bad, 2,
                           fmt::format("routing.max_parallel_attempts must be an integer "
                                       "from 1 to 64 (got '{}')",
                                       value)))
        << value << "\n"
        << Dump(bad);
  }
  LoadResult unknown = Load("routing:\n  max_parallel: 3\n");
  EXPECT_TRUE(HasProblem(unknown, 2, "unknown key 'max_parallel' in routing")) << Dump(unknown);
  LoadResult not_a_map = Load("routing: 8\n");
  EXPECT_TRUE(HasProblem(not_a_map, 1, "routing must be a map")) << Dump(not_a_map);
}

TEST(RoutesConfigTest, RaceAndFallbackNestInEachOther) {
  LoadResult result = LoadRoutes(
      "  quick: { strategy: race, targets: [ resilient, openai/c ] }\n"
      "  resilient: { strategy: fallback, targets: [ openai/a, tail ] }\n"
      "  tail: { strategy: hedge, delay: p95, targets: [ openai/x, openrouter/y ] }\n"
      "  outer: { targets: [ quick, openai/z ] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->routes.size(), 4u);
  // Targets are checked as for every strategy.
  LoadResult bad = LoadRoutes("  quick: { strategy: race, targets: [ nope, other/m ] }\n");
  EXPECT_TRUE(HasProblem(bad, 5, "target 'nope' of route 'quick' is neither")) << Dump(bad);
  EXPECT_TRUE(HasProblem(bad, 5, "names provider 'other'")) << Dump(bad);
  // ... and so are cycles through them.
  LoadResult cycle = LoadRoutes(
      "  a: { strategy: race, targets: [ b, openai/x ] }\n"
      "  b: { targets: [ a ] }\n");
  EXPECT_TRUE(HasProblem(cycle, 5, "routes form a cycle: a -> b -> a")) << Dump(cycle);
}

TEST(RoutesConfigTest, LoadBalanceWithWeightsAndStickiness) {
  LoadResult result = LoadRoutes(
      "  split:\n"
      "    strategy: loadbalance\n"
      "    targets: [ { model: openai/gpt-4o-mini, weight: 7 },\n"
      "               { model: openrouter/meta-llama/llama-3, weight: 3 }, openai/gpt-4o ]\n"
      "    sticky: user\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig* route = result.config->FindRoute("split");
  EXPECT_EQ(route->strategy, "loadbalance");
  ASSERT_EQ(route->targets.size(), 3u);
  EXPECT_EQ(route->targets[0].weight, 7);
  EXPECT_EQ(route->targets[1].weight, 3);
  EXPECT_EQ(route->targets[2].weight, 1);
  EXPECT_EQ(route->sticky, "user");
}

TEST(RoutesConfigTest, CheapestAndFastestTakeATargetList) {
  LoadResult result = LoadRoutes(
      "  thrifty: { strategy: cheapest, targets: [ openai/gpt-4o-mini, openai/gpt-4o ] }\n"
      "  snappy:  { strategy: fastest, targets: [ openai/gpt-4o-mini, thrifty ],\n"
      "             retry: { attempts: 2 } }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->FindRoute("thrifty")->strategy, "cheapest");
  EXPECT_EQ(result.config->FindRoute("snappy")->strategy, "fastest");
  EXPECT_EQ(result.config->FindRoute("snappy")->retry.attempts, 2);
}

TEST(RoutesConfigTest, BadWeights) {
  for (std::string_view weight :
       {"0", "0.0", "-1", "-0.5", "abc", "1000001", ".inf", "nan", "1e400", "[1]", "''"}) {
    LoadResult result = LoadRoutes(fmt::format(
        "  r: {{ strategy: loadbalance, targets: [ {{ model: openai/a, weight: {} }} ] }}\n",
        weight));
    EXPECT_TRUE(HasProblem(result, 5,
                           "routes.r.targets[0].weight must be a positive number up to 1000000"))
        << weight << "\n" << Dump(result);
  }
}

// Portkey and LiteLLM configs write shares: 0.7 and 0.3 split like 7 and 3 (issue 11, defect 12).
TEST(RoutesConfigTest, FractionalWeightsAreShares) {
  LoadResult result = LoadRoutes(
      "  r:\n"
      "    strategy: loadbalance\n"
      "    targets: [ { model: openai/a, weight: 0.7 }, { model: openai/b, weight: 0.3 },\n"
      "               { model: openai/c, weight: 2.5e-1 }, { model: openai/d, weight: 1000000 } ]\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const std::vector<RouteTarget>& targets = result.config->routes.at(0).targets;
  EXPECT_DOUBLE_EQ(targets.at(0).weight, 0.7);
  EXPECT_DOUBLE_EQ(targets.at(1).weight, 0.3);
  EXPECT_DOUBLE_EQ(targets.at(2).weight, 0.25);
  EXPECT_DOUBLE_EQ(targets.at(3).weight, 1e6);
}

TEST(RoutesConfigTest, ConditionalRulesAndDefault) {
  LoadResult result = LoadRoutes(
      "  by-plan:\n"                                                    // 5
      "    strategy: conditional\n"                                     // 6
      "    conditions:\n"                                               // 7
      "      - when: { metadata: { plan: pro, tier: 2, beta: true } }\n"  // 8
      "        target: openai/gpt-4o\n"                                 // 9
      "      - when: { inbound: anthropic, has_tools: true, stream: false }\n"  // 10
      "        target: { model: openrouter/anthropic/claude, params: { temperature: 0.2 } }\n"
      "      - when: { has_images: true, model: gpt-4o-mini, min_input_tokens: 50000 }\n"
      "        target: cheap\n"                                         // 13
      "    default: openai/gpt-4o-mini\n"                               // 14
      "    retry: { attempts: 2 }\n"
      "  cheap: { targets: [openai/gpt-4o-mini] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig* route = result.config->FindRoute("by-plan");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->strategy, "conditional");
  EXPECT_EQ(route->retry.attempts, 2);
  ASSERT_EQ(route->targets.size(), 4u);
  EXPECT_EQ(route->targets[0].model, "openai/gpt-4o");
  EXPECT_EQ(route->targets[0].line, 9);
  EXPECT_EQ(route->targets[1].model, "openrouter/anthropic/claude");
  EXPECT_EQ(route->targets[1].params_json, R"({"temperature":0.2})");
  EXPECT_EQ(route->targets[2].model, "cheap");
  EXPECT_EQ(route->targets[3].model, "openai/gpt-4o-mini");
  EXPECT_EQ(route->default_target, 3u);
  ASSERT_EQ(route->conditions.size(), 3u);

  const RouteCondition& pro = route->conditions[0];
  EXPECT_EQ(pro.target, 0u);
  EXPECT_EQ(pro.line, 8);
  EXPECT_EQ(pro.metadata,
            (std::map<std::string, std::string>{{"plan", "pro"}, {"tier", "2"}, {"beta", "true"}}));
  EXPECT_FALSE(pro.inbound || pro.model || pro.has_tools || pro.has_images || pro.stream ||
               pro.min_input_tokens);

  const RouteCondition& claude = route->conditions[1];
  EXPECT_EQ(claude.target, 1u);
  EXPECT_EQ(claude.inbound, "anthropic");
  EXPECT_EQ(claude.has_tools, true);
  EXPECT_EQ(claude.stream, false);
  EXPECT_FALSE(claude.has_images.has_value());

  const RouteCondition& images = route->conditions[2];
  EXPECT_EQ(images.target, 2u);
  EXPECT_EQ(images.has_images, true);
  EXPECT_EQ(images.model, "gpt-4o-mini");
  EXPECT_EQ(images.min_input_tokens, 50000);
}

TEST(RoutesConfigTest, ConditionalInlineFlowStyle) {
  LoadResult result = LoadRoutes(
      "  r: { strategy: conditional, conditions: [ { when: { stream: true }, target: openai/a } ],"
      " default: openai/b }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const RouteConfig& route = result.config->routes.at(0);
  ASSERT_EQ(route.conditions.size(), 1u);
  EXPECT_EQ(route.conditions[0].stream, true);
  EXPECT_EQ(route.targets.size(), 2u);
  EXPECT_EQ(route.default_target, 1u);
}

TEST(RoutesConfigTest, ConditionalTargetsAreCheckedLikeAnyOther) {
  LoadResult result = LoadRoutes(
      "  r:\n"                                  // 5
      "    strategy: conditional\n"             // 6
      "    conditions:\n"                       // 7
      "      - when: { stream: true }\n"        // 8
      "        target: ghost/model\n"           // 9
      "    default: nowhere\n");                // 10
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 9, "target 'ghost/model' of route 'r' names provider 'ghost'"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 10, "target 'nowhere' of route 'r' is neither provider/model"))
      << Dump(result);

  LoadResult cycle = LoadRoutes(
      "  r: { strategy: conditional, conditions: [ { when: {}, target: openai/a } ],"
      " default: r }\n");
  EXPECT_TRUE(HasProblem(cycle, 5, "routes form a cycle: r -> r")) << Dump(cycle);
}

TEST(RoutesConfigTest, BadConditionalShapes) {
  struct Case {
    std::string yaml;
    int line;
    std::string expected;
  };
  const std::string head = "r: { strategy: conditional, ";
  const std::string rule = "conditions: [ { when: { stream: true }, target: openai/a } ]";
  const Case cases[] = {
      {head + rule + " }", 5, "route 'r' uses strategy conditional and needs a default target"},
      {head + "default: openai/b }", 5,
       "route 'r' uses strategy conditional and needs a non-empty list of conditions"},
      {head + "conditions: [], default: openai/b }", 5,
       "route 'r' uses strategy conditional and needs a non-empty list of conditions"},
      {head + rule + ", default: openai/b, targets: [openai/c] }", 5,
       "route 'r' uses strategy conditional, which takes its targets from conditions and "
       "default, not from targets"},
      {head + "conditions: [ openai/a ], default: openai/b }", 5,
       "routes.r.conditions[0] must be a map with when and target"},
      {head + "conditions: [ { target: openai/a } ], default: openai/b }", 5,
       "routes.r.conditions[0] needs a when"},
      {head + "conditions: [ { when: { stream: true } } ], default: openai/b }", 5,
       "routes.r.conditions[0] needs a target"},
      {head + "conditions: [ { when: { stream: true }, target: openai/a, x: 1 } ], "
              "default: openai/b }",
       5, "unknown key 'x' in routes.r.conditions[0]"},
      {head + "conditions: [ { when: { user: u1 }, target: openai/a } ], default: openai/b }", 5,
       "unknown key 'user' in routes.r.conditions[0].when"},
      {head + "conditions: [ { when: { inbound: gemini }, target: openai/a } ], "
              "default: openai/b }",
       5, "routes.r.conditions[0].when.inbound must be one of openai|anthropic (got 'gemini')"},
      {head + "conditions: [ { when: { has_tools: yes }, target: openai/a } ], "
              "default: openai/b }",
       5, "routes.r.conditions[0].when.has_tools must be one of true|false (got 'yes')"},
      {head + "conditions: [ { when: { min_input_tokens: 0 }, target: openai/a } ], "
              "default: openai/b }",
       5, "routes.r.conditions[0].when.min_input_tokens must be an integer from 1"},
      {head + "conditions: [ { when: { metadata: { tags: [a] } }, target: openai/a } ], "
              "default: openai/b }",
       5, "routes.r.conditions[0].when.metadata.tags must be a string, number or boolean"},
      {head + "conditions: [ { when: { metadata: [a] }, target: openai/a } ], "
              "default: openai/b }",
       5, "routes.r.conditions[0].when.metadata must be a map"},
      {head + "conditions: [ { when: stream, target: openai/a } ], default: openai/b }", 5,
       "routes.r.conditions[0].when must be a map"},
      {head + "conditions: [ { when: {}, target: { weight: 2 } } ], default: openai/b }", 5,
       "routes.r.conditions[0].target needs a model"},
      {head + rule + ", default: [openai/b] }", 5,
       "routes.r.default must be a provider/model string or a map with a model"},
      {"r: { strategy: fallback, targets: [openai/a], conditions: [] }", 5,
       "routes.r.conditions is only for strategy conditional"},
      {"r: { targets: [openai/a], default: openai/b }", 5,
       "routes.r.default is only for strategy conditional"},
  };
  for (const Case& c : cases) {
    LoadResult result = LoadRoutes("  " + c.yaml + "\n");
    EXPECT_FALSE(result.config) << c.yaml;
    EXPECT_TRUE(HasProblem(result, c.line, c.expected)) << c.yaml << "\n" << Dump(result);
  }
}

TEST(RoutesConfigTest, ConditionalProblemsPointAtTheirLines) {
  LoadResult result = LoadRoutes(
      "  r:\n"                                          // 5
      "    strategy: conditional\n"                     // 6
      "    conditions:\n"                               // 7
      "      - when: { stream: true }\n"                // 8
      "        target: openai/a\n"                      // 9
      "      - when:\n"                                 // 10
      "          inbound: grpc\n"                       // 11
      "          has_images: maybe\n"                   // 12
      "        target: openai/b\n"                      // 13
      "    default: openai/c\n");                       // 14
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 11, "routes.r.conditions[1].when.inbound must be one of"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 12, "routes.r.conditions[1].when.has_images must be one of"))
      << Dump(result);
  EXPECT_EQ(result.problems.size(), 2u) << Dump(result);
}

TEST(RoutesConfigTest, BadRouteShapes) {
  struct Case {
    std::string yaml;
    std::string expected;
  };
  const Case cases[] = {
      {"r: { strategy: random, targets: [openai/a] }",
       "routes.r.strategy must be one of single|fallback|loadbalance|cheapest|fastest|"
       "conditional|race|hedge|ab (got 'random')"},
      {"r: { strategy: single, targets: [openai/a, openai/b] }",
       "route 'r' uses strategy single, which takes exactly one target (it has 2)"},
      {"r: { targets: [openai/a], retry: { attempts: 0 } }",
       "routes.r.retry.attempts must be an integer from 1 to 10"},
      {"r: { targets: [openai/a], retry: { attempts: 11 } }",
       "routes.r.retry.attempts must be an integer from 1 to 10"},
      {"r: { targets: [openai/a], retry: { on: [429, abc] } }",
       "routes.r.retry.on must hold HTTP status codes"},
      {"r: { targets: [openai/a], retry: { on: [700] } }",
       "routes.r.retry.on must hold HTTP status codes"},
      {"r: { targets: [openai/a], retry: { tries: 2 } }", "unknown key 'tries' in routes.r.retry"},
      {"r: { targets: [openai/a], retry: { deadline_ms: 0 } }",
       "routes.r.retry.deadline_ms must be a positive whole number of milliseconds"},
      {"r: { targets: [openai/a], delay_ms: 5 }", "routes.r.delay_ms is only for strategy hedge"},
      {"r: { targets: [openai/a], judge: {} }", "routes.r.judge is only for strategy ab"},
      {"r: { targets: [{ model: openai/a, extra: 1 }] }",
       "unknown key 'extra' in routes.r.targets[0]"},
      {"r: { targets: [{ model: openai/a, params: [1] }] }",
       "routes.r.targets[0].params must be a map"},
      {"r: { targets: [{ model: openai/a, params: { t: .nan } }] }",
       "routes.r.targets[0].params holds a value JSON cannot carry"},
      {"r: { targets: [{ model: openai/a, timeout_ms: -5 }] }",
       "routes.r.targets[0].timeout_ms must be a positive whole number"},
      {"a/b: { targets: [openai/a] }", "route name 'a/b' must be non-empty and must not contain"},
      {"r: openai/a", "routes.r must be a map"},
  };
  for (const Case& c : cases) {
    LoadResult result = LoadRoutes("  " + c.yaml + "\n");
    EXPECT_FALSE(result.config) << c.yaml;
    EXPECT_TRUE(HasProblem(result, 5, c.expected)) << c.yaml << "\n" << Dump(result);
  }
}

}  // namespace
}  // namespace switchyard::config

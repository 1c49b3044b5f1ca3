// Inline routes (the x-switchyard-route header): the same shapes and checks as `routes:`, read
// from JSON that a client sent.
#include "config/inline_route.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::Load;

// Two providers and one configured route that inline routes may name.
Config TestConfig() {
  LoadResult loaded = Load(
      "providers:\n  openai: {}\n  groq: {}\n"
      "routes:\n"
      "  configured: { strategy: fallback, targets: [ openai/gpt-4o-mini, groq/llama ] }\n");
  EXPECT_TRUE(loaded.config) << Dump(loaded);
  return loaded.config ? *loaded.config : Config{};
}

RouteConfig ParseOk(std::string_view text) {
  const Config config = TestConfig();
  Result<RouteConfig> route = ParseInlineRoute(text, config);
  EXPECT_TRUE(route.ok()) << text << ": " << (route.ok() ? "" : route.error().message);
  return route.ok() ? *route : RouteConfig{};
}

Error ParseFails(std::string_view text) {
  const Config config = TestConfig();
  Result<RouteConfig> route = ParseInlineRoute(text, config);
  EXPECT_FALSE(route.ok()) << text;
  if (route.ok()) return Error{};
  EXPECT_EQ(route.error().kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(route.error().http_status, 400);
  EXPECT_EQ(route.error().param, "x-switchyard-route");
  EXPECT_TRUE(route.error().message.starts_with("x-switchyard-route: ")) << route.error().message;
  return route.error();
}

TEST(InlineRouteTest, FallbackWithRetryFromCompactJson) {
  RouteConfig route = ParseOk(
      R"({"strategy":"fallback","targets":["openai/gpt-4o-mini","groq/llama-3.3-70b"],)"
      R"("retry":{"attempts":2,"on":[429,503]}})");
  EXPECT_EQ(route.name, "inline");
  EXPECT_EQ(route.strategy, "fallback");
  ASSERT_EQ(route.targets.size(), 2u);
  EXPECT_EQ(route.targets[0].model, "openai/gpt-4o-mini");
  EXPECT_EQ(route.targets[1].model, "groq/llama-3.3-70b");
  EXPECT_EQ(route.retry.attempts, 2);
  EXPECT_EQ(route.retry.on_status, (std::vector<int>{429, 503}));
}

TEST(InlineRouteTest, ObjectTargetsWeightsStickinessAndParams) {
  RouteConfig route = ParseOk(
      R"({ "strategy": "loadbalance", "sticky": "user", "targets": [)"
      R"( { "model": "openai/gpt-4o-mini", "weight": 7, "params": { "temperature": 0.2 } },)"
      R"( { "model": "groq/llama", "weight": 3, "timeout_ms": 1500 } ] })");
  EXPECT_EQ(route.strategy, "loadbalance");
  EXPECT_EQ(route.sticky, "user");
  ASSERT_EQ(route.targets.size(), 2u);
  EXPECT_EQ(route.targets[0].weight, 7);
  EXPECT_EQ(route.targets[0].params_json, R"({"temperature":0.2})");
  EXPECT_EQ(route.targets[1].weight, 3);
  ASSERT_TRUE(route.targets[1].timeout.has_value());
  EXPECT_EQ(route.targets[1].timeout->count(), 1500);
}

TEST(InlineRouteTest, StrategyDefaultsAndTargetsMayNameConfiguredRoutes) {
  EXPECT_EQ(ParseOk(R"({"targets":["openai/gpt-4o"]})").strategy, "single");
  RouteConfig route = ParseOk(R"({"targets":["configured","groq/llama"]})");
  EXPECT_EQ(route.strategy, "fallback");
  EXPECT_EQ(route.targets[0].model, "configured");
}

TEST(InlineRouteTest, ConditionalRules) {
  RouteConfig route = ParseOk(
      R"({"strategy":"conditional","conditions":[)"
      R"({"when":{"metadata":{"tier":"pro"},"has_tools":true},"target":"openai/gpt-4o"},)"
      R"({"when":{"inbound":"anthropic","stream":false},"target":"configured"}],)"
      R"("default":"groq/llama"})");
  EXPECT_EQ(route.strategy, "conditional");
  ASSERT_EQ(route.conditions.size(), 2u);
  EXPECT_EQ(route.conditions[0].metadata.at("tier"), "pro");
  EXPECT_EQ(route.conditions[0].has_tools, true);
  EXPECT_EQ(route.conditions[1].inbound, "anthropic");
  EXPECT_EQ(route.conditions[1].stream, false);
  ASSERT_EQ(route.targets.size(), 3u);
  EXPECT_EQ(route.targets[route.default_target].model, "groq/llama");
}

TEST(InlineRouteTest, JsonEscapesInStrings) {
  RouteConfig route = ParseOk(R"({"targets":["openai\/gpt-4o-\u006dini"]})");
  ASSERT_EQ(route.targets.size(), 1u);
  EXPECT_EQ(route.targets[0].model, "openai/gpt-4o-mini");
}

TEST(InlineRouteTest, NotJson) {
  EXPECT_NE(ParseFails(R"({"targets": ["openai/gpt-4o")").message.find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(ParseFails(R"(["openai/gpt-4o"])").message.find("JSON object"), std::string::npos);
}

TEST(InlineRouteTest, DeepNestingIsAnErrorNotACrash) {
  // A header is at most limits.max_header (64 KiB): as deep as that can nest.
  const std::string deep =
      R"({"targets":)" + std::string(60'000, '[') + std::string(60'000, ']') + "}";
  EXPECT_NE(ParseFails(deep).message.find("x-switchyard-route"), std::string::npos);
  const std::string deep_map = std::string(30'000, '{') + std::string(30'000, '}');
  ParseFails(deep_map);
}

TEST(InlineRouteTest, UnknownProviderOrRouteIsNamed) {
  Error error = ParseFails(R"({"targets":["nope/model-x"]})");
  EXPECT_NE(error.message.find("provider 'nope'"), std::string::npos) << error.message;
  error = ParseFails(R"({"targets":["no-such-route"]})");
  EXPECT_NE(error.message.find("'no-such-route'"), std::string::npos) << error.message;
}

TEST(InlineRouteTest, ShapeProblemsAreAllListed) {
  Error error = ParseFails(R"({"strategy":"fastest","targets":[],"bogus":1})");
  EXPECT_NE(error.message.find("bogus"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("non-empty list of targets"), std::string::npos) << error.message;
  error = ParseFails(R"({"strategy":"single","targets":["openai/a","openai/b"]})");
  EXPECT_NE(error.message.find("exactly one target"), std::string::npos) << error.message;
  error = ParseFails(
      R"({"strategy":"ab","variants":[{"name":"a","target":"openai/a"},)"
      R"({"name":"b","target":"openai/b"}]})");
  EXPECT_NE(error.message.find("an ab route must be defined in the config"), std::string::npos)
      << error.message;
  error = ParseFails(R"({"strategy":"loadbalance","targets":[{"model":"openai/a","weight":0}]})");
  EXPECT_NE(error.message.find("weight"), std::string::npos) << error.message;
}

TEST(InlineRouteTest, RaceAndHedgeWithTheirKeys) {
  RouteConfig race =
      ParseOk(R"({"strategy":"race","targets":["openai/a",{"model":"groq/b"},"configured"],)"
              R"("max_parallel":2,"max_cost_usd":"0.25","accept":{"non_empty":true}})");
  EXPECT_EQ(race.strategy, "race");
  EXPECT_EQ(race.targets.size(), 3u);
  EXPECT_EQ(race.max_parallel, 2);
  EXPECT_EQ(race.max_cost_nanos, 250'000'000);
  // A JSON number is read by its text, as exactly as a string.
  EXPECT_EQ(ParseOk(R"({"strategy":"race","targets":["openai/a","openai/b"],"max_cost_usd":0.1})")
                .max_cost_nanos,
            100'000'000);
  RouteConfig hedge =
      ParseOk(R"({"strategy":"hedge","targets":["openai/a","groq/b"],"delay":"p99"})");
  EXPECT_EQ(hedge.strategy, "hedge");
  EXPECT_EQ(hedge.hedge.quantile, 0.99);
  EXPECT_EQ(hedge.hedge.fixed, Millis(500));
  hedge = ParseOk(R"({"strategy":"hedge","targets":["openai/a","groq/b"],"delay_ms":0})");
  EXPECT_EQ(hedge.hedge.fixed, Millis(0));
  EXPECT_EQ(hedge.hedge.quantile, std::nullopt);
}

TEST(InlineRouteTest, RaceAndHedgeProblemsAreTheClientsToFix) {
  struct Case {
    std::string_view text;
    std::string_view expected;
  };
  const Case cases[] = {
      {R"({"strategy":"race","targets":["openai/a"]})",
       "route 'inline' uses strategy race, which needs at least 2 targets (it has 1)"},
      {R"({"strategy":"hedge","targets":["openai/a","openai/b"]})",
       "route 'inline' uses strategy hedge and needs delay_ms or delay"},
      {R"({"strategy":"hedge","targets":["openai/a","openai/b"],"delay":"p42"})",
       "x-switchyard-route.delay must be one of p50|p75|p90|p95|p99 (got 'p42')"},
      {R"({"strategy":"hedge","targets":["openai/a","openai/b"],"delay_ms":700000})",
       "x-switchyard-route.delay_ms must be an integer from 0 to 600000"},
      {R"({"strategy":"race","targets":["openai/a","openai/b"],"delay_ms":10})",
       "x-switchyard-route.delay_ms is only for strategy hedge"},
      {R"({"strategy":"race","targets":["openai/a","openai/b"],"max_parallel":9})",
       "x-switchyard-route.max_parallel must be an integer from 1 to 8, "
       "routing.max_parallel_attempts (got '9')"},
      {R"({"strategy":"race","targets":["openai/a","openai/b"],"max_cost_usd":-1})",
       "x-switchyard-route.max_cost_usd must be a positive amount of USD"},
      {R"({"strategy":"race","targets":["openai/a","openai/b"],"max_cost_usd":1e-3})",
       "x-switchyard-route.max_cost_usd must be a positive amount of USD"},
      {R"({"targets":["openai/a","openai/b"],"accept":{"json":true}})",
       "x-switchyard-route.accept is only for strategy race or hedge"},
      {R"({"strategy":"cheapest","targets":["openai/a"],"max_parallel":2})",
       "x-switchyard-route.max_parallel is only for strategy race or hedge"},
  };
  for (const Case& c : cases) {
    Error error = ParseFails(c.text);
    EXPECT_NE(error.message.find(c.expected), std::string::npos) << c.text << "\n" << error.message;
  }
  // The gateway-wide cap is the configured one.
  Config config = TestConfig();
  config.routing.max_parallel_attempts = 2;
  const std::string_view three =
      R"({"strategy":"race","targets":["openai/a","openai/b","openai/c"],"max_parallel":3})";
  EXPECT_TRUE(ParseInlineRoute(three, TestConfig()).ok());
  Result<RouteConfig> capped = ParseInlineRoute(three, config);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().http_status, 400);
  EXPECT_NE(capped.error().message.find("must be an integer from 1 to 2, "
                                        "routing.max_parallel_attempts (got '3')"),
            std::string::npos)
      << capped.error().message;
}

TEST(InlineRouteTest, EnvironmentReferencesAreNotExpanded) {
  // A client must not be able to read the gateway's environment through a route.
  RouteConfig route = ParseOk(R"({"targets":["openai/${HOME}"],"sticky":"${PATH:-x}"})");
  ASSERT_EQ(route.targets.size(), 1u);
  EXPECT_EQ(route.targets[0].model, "openai/${HOME}");
  EXPECT_EQ(route.sticky, "${PATH:-x}");
}

// Inline routes come from clients: each target may cost an upstream call, so their number and
// nesting are capped (limits.max_inline_route_targets, default 16; limits.max_route_depth, default
// 4), and over a cap the call is a 400 naming the header (issue 11, defect 8).
std::string InlineTargets(std::size_t count) {
  std::string text = R"({"strategy":"fallback","targets":[)";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += ',';
    text += fmt::format(R"("openai/m{}")", i);
  }
  return text + "]}";
}

TEST(InlineRouteTest, TargetsAreCappedByMaxInlineRouteTargets) {
  EXPECT_EQ(ParseOk(InlineTargets(16)).targets.size(), 16u);
  Error error = ParseFails(InlineTargets(17));
  EXPECT_EQ(error.message,
            "x-switchyard-route: the inline route lists 17 targets; at most 16 are allowed "
            "(limits.max_inline_route_targets)");
  // The 2,900 targets of the report: refused as a whole, before any of them is looked at.
  error = ParseFails(InlineTargets(2900));
  EXPECT_NE(error.message.find("lists 2900 targets"), std::string::npos) << error.message;

  Config config = TestConfig();
  config.route_limits.max_inline_targets = 2;
  EXPECT_TRUE(ParseInlineRoute(InlineTargets(2), config).ok());
  EXPECT_FALSE(ParseInlineRoute(InlineTargets(3), config).ok());
}

TEST(InlineRouteTest, RaceTargetsCountTowardsTheCap) {
  // Every racer is an upstream call at once: the cap holds for a race as for a fallback.
  std::string text = InlineTargets(17);
  text.replace(text.find("fallback"), 8, "race");
  Error error = ParseFails(text);
  EXPECT_NE(error.message.find("lists 17 targets; at most 16"), std::string::npos) << error.message;
  text = InlineTargets(16);
  text.replace(text.find("fallback"), 8, "race");
  EXPECT_EQ(ParseOk(text).targets.size(), 16u);
}

TEST(InlineRouteTest, ConditionalTargetsCountTowardsTheCap) {
  std::string text = R"({"strategy":"conditional","conditions":[)";
  for (int i = 0; i < 16; ++i) {
    if (i > 0) text += ',';
    text += fmt::format(R"({{"when":{{"model":"m{}"}},"target":"openai/m{}"}})", i, i);
  }
  text += R"(],"default":"openai/d"})";
  Error error = ParseFails(text);
  EXPECT_NE(error.message.find("lists 17 targets"), std::string::npos) << error.message;
}

TEST(InlineRouteTest, NestingThroughConfiguredRoutesIsCappedByMaxRouteDepth) {
  LoadResult loaded = Load(
      "providers:\n  openai: {}\n"
      "routes:\n"
      "  d1: { targets: [d2] }\n  d2: { targets: [d3] }\n  d3: { targets: [d4] }\n"
      "  d4: { targets: [openai/a] }\n  d2only: { targets: [d4, openai/b] }\n");
  ASSERT_TRUE(loaded.config) << Dump(loaded);
  const Config& config = *loaded.config;
  // inline -> d2only -> d4: 3 deep; inline -> d2 -> d3 -> d4: 4; inline -> d1 -> ... -> d4: 5.
  EXPECT_TRUE(ParseInlineRoute(R"({"targets":["d2only"]})", config).ok());
  EXPECT_TRUE(ParseInlineRoute(R"({"targets":["openai/x","d2"]})", config).ok());
  Result<RouteConfig> deep = ParseInlineRoute(R"({"targets":["openai/x","d1"]})", config);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().http_status, 400);
  EXPECT_EQ(deep.error().message,
            "x-switchyard-route: route 'inline' nests routes 5 deep "
            "(inline -> d1 -> d2 -> d3 -> d4); limits.max_route_depth is 4");
}

}  // namespace
}  // namespace switchyard::config

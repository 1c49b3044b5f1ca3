// Inline routes (the x-switchyard-route header): the same shapes and checks as `routes:`, read
// from JSON that a client sent.
#include "config/inline_route.h"

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
  error = ParseFails(R"({"strategy":"race","targets":["openai/a","openai/b"]})");
  EXPECT_NE(error.message.find("not supported"), std::string::npos) << error.message;
  error = ParseFails(R"({"strategy":"loadbalance","targets":[{"model":"openai/a","weight":0}]})");
  EXPECT_NE(error.message.find("weight"), std::string::npos) << error.message;
}

TEST(InlineRouteTest, EnvironmentReferencesAreNotExpanded) {
  // A client must not be able to read the gateway's environment through a route.
  RouteConfig route = ParseOk(R"({"targets":["openai/${HOME}"],"sticky":"${PATH:-x}"})");
  ASSERT_EQ(route.targets.size(), 1u);
  EXPECT_EQ(route.targets[0].model, "openai/${HOME}");
  EXPECT_EQ(route.sticky, "${PATH:-x}");
}

}  // namespace
}  // namespace switchyard::config

#include "routing/model_resolver.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "routing/strategy.h"

namespace switchyard::routing {
namespace {

using std::chrono::milliseconds;

class ModelResolverTest : public ::testing::Test {
 protected:
  // Adds a provider to the config; call Finish() once all are added.
  void AddProvider(std::string name, std::vector<std::string> models) {
    config::ProviderConfig provider;
    provider.name = std::move(name);
    provider.models = std::move(models);
    config_.providers.push_back(std::move(provider));
  }

  config::RouteConfig& AddRoute(std::string name, std::string strategy,
                                std::vector<std::string> targets) {
    config::RouteConfig route;
    route.name = std::move(name);
    route.strategy = std::move(strategy);
    for (std::string& model : targets) {
      config::RouteTarget target;
      target.model = std::move(model);
      route.targets.push_back(std::move(target));
    }
    config_.routes.push_back(std::move(route));
    return config_.routes.back();
  }

  // Builds the runtimes (pointing into config_.providers, which must not change afterwards) and
  // the resolver, which compiles the plans; the error when a route cannot be compiled.
  Status TryFinish() {
    runtimes_.clear();
    for (const config::ProviderConfig& provider : config_.providers) {
      runtimes_.push_back(ProviderRuntime{&provider, {}, nullptr});
    }
    auto resolver = ModelResolver::Create(config_, runtimes_);
    if (!resolver) return resolver.error();
    resolver_ = std::move(resolver).value();
    return Status();
  }

  const ModelResolver& Finish() {
    const Status finished = TryFinish();
    EXPECT_TRUE(finished.ok()) << finished.error().message;
    return *resolver_;
  }

  std::shared_ptr<const Plan> ResolvePtr(std::string_view model) {
    Result<std::shared_ptr<const Plan>> plan = resolver_->Resolve(model);
    EXPECT_TRUE(plan.ok()) << model << ": " << (plan.ok() ? "" : plan.error().message);
    return plan.ok() ? *plan : std::make_shared<const Plan>();
  }

  Plan ResolveOk(std::string_view model) { return *ResolvePtr(model); }

  Error ResolveFails(std::string_view model) {
    Result<std::shared_ptr<const Plan>> plan = resolver_->Resolve(model);
    EXPECT_FALSE(plan.ok()) << model;
    return plan.ok() ? Error{} : plan.error();
  }

  // "provider/model" for each planned target, in order.
  static std::vector<std::string> Targets(const Plan& plan) {
    std::vector<std::string> out;
    for (const PlannedTarget* target : plan.Leaves()) {
      out.push_back((target->provider ? target->provider->config->name : "?") + "/" +
                    target->model);
    }
    return out;
  }

  config::Config config_;
  std::vector<ProviderRuntime> runtimes_;
  std::unique_ptr<ModelResolver> resolver_;
};

TEST_F(ModelResolverTest, ProviderSlashModel) {
  AddProvider("openai", {});
  AddProvider("groq", {});
  Finish();
  const Plan plan = ResolveOk("openai/gpt-4o-mini");
  EXPECT_EQ(plan.route, "");
  EXPECT_EQ(plan.strategy, "single");
  ASSERT_EQ(plan.Leaves().size(), 1u);
  EXPECT_EQ(plan.Leaves()[0]->provider, &runtimes_[0]);
  EXPECT_EQ(plan.Leaves()[0]->model, "gpt-4o-mini");
  EXPECT_TRUE(plan.Leaves()[0]->params_json.empty());
  EXPECT_FALSE(plan.Leaves()[0]->timeout.has_value());
  EXPECT_EQ(Targets(ResolveOk("groq/llama-3.3-70b-versatile")),
            std::vector<std::string>{"groq/llama-3.3-70b-versatile"});
}

TEST_F(ModelResolverTest, BareNameListedByExactlyOneProvider) {
  AddProvider("openai", {"gpt-4o-mini", "text-embedding-3-small"});
  AddProvider("anthropic", {"claude-sonnet-4-5"});
  Finish();
  const Plan plan = ResolveOk("claude-sonnet-4-5");
  EXPECT_EQ(plan.strategy, "single");
  ASSERT_EQ(plan.Leaves().size(), 1u);
  EXPECT_EQ(plan.Leaves()[0]->provider, &runtimes_[1]);
  EXPECT_EQ(plan.Leaves()[0]->model, "claude-sonnet-4-5");
}

TEST_F(ModelResolverTest, AmbiguousBareNameListsBothCandidates) {
  AddProvider("groq", {"llama-3.3-70b"});
  AddProvider("together", {"llama-3.3-70b"});
  AddProvider("openai", {"gpt-4o"});
  Finish();
  const Error error = ResolveFails("llama-3.3-70b");
  EXPECT_EQ(error.kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.param, "model");
  EXPECT_NE(error.message.find("groq/llama-3.3-70b"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("together/llama-3.3-70b"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("openai"), std::string::npos) << error.message;
}

TEST_F(ModelResolverTest, UnknownProviderIsNotFound) {
  AddProvider("openai", {"gpt-4o"});
  Finish();
  const Error error = ResolveFails("nosuch/gpt-4o");
  EXPECT_EQ(error.kind, ErrorKind::kNotFound);
  EXPECT_EQ(error.http_status, 404);
  EXPECT_EQ(error.code, "model_not_found");
  EXPECT_NE(error.message.find("nosuch"), std::string::npos) << error.message;
}

TEST_F(ModelResolverTest, UnknownBareNameIsNotFound) {
  AddProvider("openai", {"gpt-4o"});
  Finish();
  const Error error = ResolveFails("gpt-5-turbo-max");
  EXPECT_EQ(error.kind, ErrorKind::kNotFound);
  EXPECT_EQ(error.code, "model_not_found");
  EXPECT_NE(error.message.find("gpt-5-turbo-max"), std::string::npos) << error.message;
}

TEST_F(ModelResolverTest, ProviderWithNoModelAfterTheSlash) {
  AddProvider("openai", {});
  Finish();
  const Error error = ResolveFails("openai/");
  EXPECT_EQ(error.kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(error.param, "model");
}

TEST_F(ModelResolverTest, ModelAfterTheProviderMayContainSlashes) {
  AddProvider("openrouter", {});
  Finish();
  const Plan plan = ResolveOk("openrouter/meta-llama/llama-3.1-8b-instruct");
  ASSERT_EQ(plan.Leaves().size(), 1u);
  EXPECT_EQ(plan.Leaves()[0]->provider, &runtimes_[0]);
  EXPECT_EQ(plan.Leaves()[0]->model, "meta-llama/llama-3.1-8b-instruct");
}

TEST_F(ModelResolverTest, BareNameWithSlashListedByAProvider) {
  AddProvider("openai", {"gpt-4o"});
  AddProvider("openrouter", {"meta-llama/llama-3.1-8b-instruct"});
  Finish();
  const Plan plan = ResolveOk("meta-llama/llama-3.1-8b-instruct");
  ASSERT_EQ(plan.Leaves().size(), 1u);
  EXPECT_EQ(plan.Leaves()[0]->provider, &runtimes_[1]);
  EXPECT_EQ(plan.Leaves()[0]->model, "meta-llama/llama-3.1-8b-instruct");
}

TEST_F(ModelResolverTest, SingleRoute) {
  AddProvider("openai", {});
  AddRoute("default", "single", {"openai/gpt-4o-mini"});
  Finish();
  const Plan plan = ResolveOk("default");
  EXPECT_EQ(plan.route, "default");
  EXPECT_EQ(plan.strategy, "single");
  EXPECT_EQ(Targets(plan), std::vector<std::string>{"openai/gpt-4o-mini"});
}

TEST_F(ModelResolverTest, FallbackRouteKeepsTargetOrderAndRetryPolicy) {
  AddProvider("openai", {"gpt-4o-mini"});
  AddProvider("groq", {});
  AddProvider("anthropic", {});
  config::RouteConfig& route = AddRoute(
      "resilient", "fallback",
      {"groq/llama-3.3-70b-versatile", "gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"});
  route.retry.attempts = 3;
  route.retry.on_status = {429, 503};
  Finish();
  const Plan plan = ResolveOk("resilient");
  EXPECT_EQ(plan.route, "resilient");
  EXPECT_EQ(plan.strategy, "fallback");
  EXPECT_EQ(Targets(plan),
            (std::vector<std::string>{"groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini",
                                      "anthropic/claude-3-5-haiku-latest"}));
  EXPECT_EQ(plan.retry.attempts, 3);
  EXPECT_EQ(plan.retry.on_status, (std::vector<int>{429, 503}));
}

TEST_F(ModelResolverTest, NestedRouteKeepsItsTargetsInPlace) {
  AddProvider("a", {});
  AddProvider("b", {});
  AddProvider("c", {});
  AddRoute("inner", "fallback", {"b/m2", "b/m3"});
  AddRoute("outer", "fallback", {"a/m1", "inner", "c/m4"});
  Finish();
  const Plan plan = ResolveOk("outer");
  EXPECT_EQ(plan.route, "outer");
  EXPECT_EQ(plan.strategy, "fallback");
  EXPECT_EQ(Targets(plan), (std::vector<std::string>{"a/m1", "b/m2", "b/m3", "c/m4"}));
}

TEST_F(ModelResolverTest, DoublyNestedRoutes) {
  AddProvider("p", {});
  AddRoute("level2", "single", {"p/deep"});
  AddRoute("level1", "fallback", {"level2", "p/mid"});
  AddRoute("top", "fallback", {"p/first", "level1", "p/last"});
  Finish();
  EXPECT_EQ(Targets(ResolveOk("top")),
            (std::vector<std::string>{"p/first", "p/deep", "p/mid", "p/last"}));
}

TEST_F(ModelResolverTest, RouteTargetsCarryParamsAndTimeout) {
  AddProvider("openai", {});
  AddProvider("groq", {});
  config::RouteConfig& route = AddRoute("tuned", "fallback", {"openai/gpt-4o", "groq/llama"});
  route.targets[0].params_json = R"({"temperature":0.1})";
  route.targets[0].timeout = milliseconds(1500);
  Finish();
  const Plan plan = ResolveOk("tuned");
  ASSERT_EQ(plan.Leaves().size(), 2u);
  EXPECT_EQ(plan.Leaves()[0]->params_json, R"({"temperature":0.1})");
  EXPECT_EQ(plan.Leaves()[0]->timeout, milliseconds(1500));
  EXPECT_TRUE(plan.Leaves()[1]->params_json.empty());
  EXPECT_FALSE(plan.Leaves()[1]->timeout.has_value());
}

TEST_F(ModelResolverTest, NestedRouteTargetsKeepTheirOwnParams) {
  AddProvider("p", {});
  config::RouteConfig& inner = AddRoute("inner", "single", {"p/x"});
  inner.targets[0].params_json = R"({"top_p":0.5})";
  inner.targets[0].timeout = milliseconds(200);
  AddRoute("outer", "fallback", {"inner", "p/y"});
  Finish();
  const Plan plan = ResolveOk("outer");
  ASSERT_EQ(plan.Leaves().size(), 2u);
  EXPECT_EQ(plan.Leaves()[0]->params_json, R"({"top_p":0.5})");
  EXPECT_EQ(plan.Leaves()[0]->timeout, milliseconds(200));
}

// Config validation rejects such routes; if one got through, every call of it would fail, so the
// resolver refuses to start with it instead.
TEST_F(ModelResolverTest, RouteWithAnUnresolvableTargetFailsAtStartup) {
  AddProvider("openai", {});
  AddRoute("broken", "fallback", {"openai/gpt-4o", "ghost/model"});
  const Status finished = TryFinish();
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().kind, ErrorKind::kConfig);
  EXPECT_NE(finished.error().message.find("route 'broken'"), std::string::npos)
      << finished.error().message;
  EXPECT_NE(finished.error().message.find("provider 'ghost' is not configured"), std::string::npos)
      << finished.error().message;
}

TEST_F(ModelResolverTest, CyclicRoutesStopAtTheDepthGuardAtStartup) {
  AddProvider("p", {});
  AddRoute("ping", "fallback", {"pong"});
  AddRoute("pong", "fallback", {"ping"});
  const Status finished = TryFinish();
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().kind, ErrorKind::kConfig);
  EXPECT_NE(finished.error().message.find("nests too deeply"), std::string::npos)
      << finished.error().message;
}

// The guard is limits.max_route_depth, which validation holds configured routes to (up to 64):
// a chain the config allows compiles, however deep.
TEST_F(ModelResolverTest, RoutesAsDeepAsTheConfiguredLimitCompile) {
  AddProvider("p", {});
  config_.route_limits.max_depth = 12;
  AddRoute("r0", "single", {"p/leaf"});
  for (int i = 1; i < 12; ++i) {
    AddRoute("r" + std::to_string(i), "single", {"r" + std::to_string(i - 1)});
  }
  Finish();
  EXPECT_EQ(Targets(ResolveOk("r11")), std::vector<std::string>{"p/leaf"});
}

TEST_F(ModelResolverTest, RoutesDeeperThanTheConfiguredLimitFailAtStartup) {
  AddProvider("p", {});
  config_.route_limits.max_depth = 2;
  AddRoute("r0", "single", {"p/leaf"});
  AddRoute("r1", "single", {"r0"});
  AddRoute("r2", "single", {"r1"});
  const Status finished = TryFinish();
  ASSERT_FALSE(finished.ok());
  EXPECT_NE(finished.error().message.find("cannot plan route 'r2'"), std::string::npos)
      << finished.error().message;
  EXPECT_NE(finished.error().message.find("limits.max_route_depth is 2"), std::string::npos)
      << finished.error().message;
}

TEST_F(ModelResolverTest, FindProvider) {
  AddProvider("openai", {});
  AddProvider("groq", {});
  const ModelResolver& resolver = Finish();
  EXPECT_EQ(resolver.FindProvider("groq"), &runtimes_[1]);
  EXPECT_EQ(resolver.FindProvider("anthropic"), nullptr);
}

TEST_F(ModelResolverTest, NestedRouteKeepsItsOwnStrategyAndRetry) {
  AddProvider("p", {});
  config::RouteConfig& inner = AddRoute("inner", "fallback", {"p/a", "p/b"});
  inner.retry.attempts = 3;
  AddRoute("outer", "single", {"inner"});
  Finish();
  const Plan plan = ResolveOk("outer");
  EXPECT_EQ(plan.strategy, "single");
  ASSERT_EQ(plan.steps.size(), 1u);
  ASSERT_NE(plan.steps[0].route, nullptr);
  EXPECT_EQ(plan.steps[0].route->strategy, "fallback");
  EXPECT_EQ(plan.steps[0].route->retry.attempts, 3);
  EXPECT_EQ(plan.steps[0].route->steps.size(), 2u);
}

TEST_F(ModelResolverTest, OuterParamsAndShorterTimeoutApplyInsideTheNestedRoute) {
  AddProvider("p", {});
  config::RouteConfig& inner = AddRoute("inner", "fallback", {"p/a", "p/b"});
  inner.targets[0].params_json = R"({"top_p":0.5,"temperature":0.9})";
  inner.targets[0].timeout = milliseconds(5000);
  config::RouteConfig& outer = AddRoute("outer", "fallback", {"inner"});
  outer.targets[0].params_json = R"({"temperature":0.1})";
  outer.targets[0].timeout = milliseconds(1000);
  Finish();
  const Plan plan = ResolveOk("outer");
  const std::vector<const PlannedTarget*> leaves = plan.Leaves();
  ASSERT_EQ(leaves.size(), 2u);
  EXPECT_EQ(leaves[0]->params_json, R"({"top_p":0.5,"temperature":0.1})");
  EXPECT_EQ(leaves[0]->timeout, milliseconds(1000));
  EXPECT_EQ(leaves[1]->params_json, R"({"temperature":0.1})");
  EXPECT_EQ(leaves[1]->timeout, milliseconds(1000));
}

TEST_F(ModelResolverTest, PlanCarriesWeightsAndStickiness) {
  AddProvider("p", {});
  AddRoute("inner", "fallback", {"p/c", "p/d"});
  config::RouteConfig& route = AddRoute("split", "loadbalance", {"p/a", "p/b", "inner"});
  route.targets[0].weight = 7;
  route.targets[2].weight = 2;
  route.sticky = "user";
  Finish();
  const Plan plan = ResolveOk("split");
  EXPECT_EQ(plan.strategy, "loadbalance");
  EXPECT_EQ(plan.sticky, "user");
  ASSERT_EQ(plan.steps.size(), 3u);
  EXPECT_EQ(plan.steps[0].weight, 7);
  EXPECT_EQ(plan.steps[1].weight, 1);
  EXPECT_EQ(plan.steps[2].weight, 2);
  ASSERT_NE(plan.steps[2].route, nullptr);
}

TEST_F(ModelResolverTest, PlanCarriesConditionalRules) {
  AddProvider("p", {});
  config::RouteConfig& route = AddRoute("by-plan", "conditional", {"p/pro", "p/basic"});
  config::RouteCondition rule;
  rule.metadata = {{"plan", "pro"}};
  rule.target = 0;
  route.conditions = {rule};
  route.default_target = 1;
  Finish();
  const Plan plan = ResolveOk("by-plan");
  EXPECT_EQ(plan.strategy, "conditional");
  ASSERT_EQ(plan.conditions.size(), 1u);
  EXPECT_EQ(plan.conditions[0].target, 0u);
  EXPECT_EQ(plan.conditions[0].metadata.at("plan"), "pro");
  EXPECT_EQ(plan.default_step, 1u);
  EXPECT_EQ(Targets(plan), (std::vector<std::string>{"p/pro", "p/basic"}));
}

// An inline route (x-switchyard-route) is planned like a configured one, and may name configured
// routes as targets.
TEST_F(ModelResolverTest, ResolveRoutePlansAnUnlistedRoute) {
  AddProvider("openai", {});
  AddProvider("groq", {});
  AddRoute("inner", "fallback", {"openai/a", "groq/b"});
  Finish();
  config::RouteConfig inline_route;
  inline_route.name = "inline";
  inline_route.strategy = "loadbalance";
  inline_route.sticky = "user";
  for (const char* model : {"groq/c", "inner"}) {
    config::RouteTarget target;
    target.model = model;
    target.weight = 3;
    inline_route.targets.push_back(target);
  }
  Result<std::shared_ptr<const Plan>> resolved = resolver_->ResolveRoute(inline_route);
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  const Plan* plan = resolved->get();
  EXPECT_EQ(plan->route, "inline");
  EXPECT_EQ(plan->strategy, "loadbalance");
  EXPECT_EQ(plan->sticky, "user");
  ASSERT_EQ(plan->steps.size(), 2u);
  EXPECT_EQ(plan->steps[0].weight, 3);
  ASSERT_NE(plan->steps[1].route, nullptr);
  EXPECT_EQ(plan->steps[1].route->route, "inner");
  EXPECT_EQ(Targets(*plan), (std::vector<std::string>{"groq/c", "openai/a", "groq/b"}));
}

// --- plans compiled once ---------------------------------------------------------------------

TEST_F(ModelResolverTest, AConfiguredRouteIsTheSamePlanOnEveryCall) {
  AddProvider("p", {});
  AddRoute("resilient", "fallback", {"p/a", "p/b"});
  Finish();
  const std::shared_ptr<const Plan> first = ResolvePtr("resilient");
  const std::shared_ptr<const Plan> second = ResolvePtr("resilient");
  EXPECT_EQ(first.get(), second.get());
  // The resolver owns it: the handle counts no references (no atomic shared by the workers).
  EXPECT_EQ(first.use_count(), 0);
  // x-switchyard-route naming the route gets the same plan.
  Result<std::shared_ptr<const Plan>> by_header = resolver_->ResolveRoute(config_.routes[0]);
  ASSERT_TRUE(by_header.ok());
  EXPECT_EQ(by_header->get(), first.get());
}

TEST_F(ModelResolverTest, ParamsAreMergedOnceWithTheOuterRouteWinning) {
  AddProvider("p", {});
  config::RouteConfig& inner = AddRoute("inner", "fallback", {"p/a", "p/b"});
  inner.targets[0].params_json = R"({"top_p":0.5,"temperature":0.9})";
  inner.targets[1].params_json = R"({"seed":7})";
  config::RouteConfig& outer = AddRoute("outer", "fallback", {"inner", "p/c"});
  outer.targets[0].params_json = R"({"temperature":0.1,"max_tokens":64})";
  Finish();
  const std::shared_ptr<const Plan> plan = ResolvePtr("outer");
  EXPECT_EQ(ResolvePtr("outer").get(), plan.get());
  const std::vector<const PlannedTarget*> leaves = plan->Leaves();
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0]->params_json, R"({"top_p":0.5,"temperature":0.1,"max_tokens":64})");
  EXPECT_EQ(leaves[1]->params_json, R"({"seed":7,"temperature":0.1,"max_tokens":64})");
  EXPECT_TRUE(leaves[2]->params_json.empty());
  // The nested route with the outer params laid over it is a plan of its own; the route alone
  // keeps its own params.
  ASSERT_NE(plan->steps[0].route, nullptr);
  EXPECT_NE(plan->steps[0].route.get(), ResolvePtr("inner").get());
  EXPECT_EQ(ResolvePtr("inner")->Leaves()[0]->params_json, R"({"top_p":0.5,"temperature":0.9})");
}

// With nothing laid over it, a nested route is the route's own compiled plan, whichever of the
// two routes is configured first (a route compiled before the one it names gets an equal copy).
TEST_F(ModelResolverTest, ANestedRouteWithoutParamsSharesItsPlan) {
  AddProvider("p", {});
  AddRoute("inner", "fallback", {"p/a", "p/b"});
  AddRoute("outer", "fallback", {"inner", "p/c"});
  AddRoute("first", "fallback", {"later"});
  AddRoute("later", "single", {"p/d"});
  Finish();
  const std::shared_ptr<const Plan> outer = ResolvePtr("outer");
  ASSERT_NE(outer->steps[0].route, nullptr);
  EXPECT_EQ(outer->steps[0].route.get(), ResolvePtr("inner").get());
  const std::shared_ptr<const Plan> first = ResolvePtr("first");
  ASSERT_NE(first->steps[0].route, nullptr);
  EXPECT_EQ(Targets(*first->steps[0].route), std::vector<std::string>{"p/d"});
  EXPECT_EQ(first->steps[0].route->route, "later");
}

TEST_F(ModelResolverTest, AnInlineRouteIsPlannedPerCallAndSharesTheRoutesItNames) {
  AddProvider("p", {});
  AddRoute("inner", "fallback", {"p/a", "p/b"});
  Finish();
  config::RouteConfig inline_route;
  inline_route.name = "inline";
  inline_route.strategy = "fallback";
  for (const char* model : {"p/c", "inner"}) {
    config::RouteTarget target;
    target.model = model;
    inline_route.targets.push_back(target);
  }
  inline_route.targets[0].params_json = R"({"temperature":0})";
  Result<std::shared_ptr<const Plan>> first = resolver_->ResolveRoute(inline_route);
  Result<std::shared_ptr<const Plan>> second = resolver_->ResolveRoute(inline_route);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->get(), second->get());  // the call's own
  EXPECT_EQ(first->use_count(), 1);         // owned by the handle
  EXPECT_EQ((*first)->steps[0].target.params_json, R"({"temperature":0})");
  EXPECT_EQ((*first)->steps[0].target.key, "p/c");
  EXPECT_EQ((*first)->steps[1].route.get(), ResolvePtr("inner").get());
}

TEST_F(ModelResolverTest, ListedModelsAreCompiledUnderBothNames) {
  AddProvider("openai", {"gpt-4o-mini"});
  AddProvider("groq", {});
  Finish();
  const std::shared_ptr<const Plan> bare = ResolvePtr("gpt-4o-mini");
  EXPECT_EQ(bare.get(), ResolvePtr("gpt-4o-mini").get());
  EXPECT_EQ(bare.use_count(), 0);
  const std::shared_ptr<const Plan> named = ResolvePtr("openai/gpt-4o-mini");
  EXPECT_EQ(named.get(), ResolvePtr("openai/gpt-4o-mini").get());
  EXPECT_EQ(Targets(*named), std::vector<std::string>{"openai/gpt-4o-mini"});
  // Any other model after a configured provider is planned for the call: one target, no params.
  const std::shared_ptr<const Plan> unlisted = ResolvePtr("groq/any-model");
  EXPECT_NE(unlisted.get(), ResolvePtr("groq/any-model").get());
  EXPECT_EQ(unlisted.use_count(), 1);
  EXPECT_EQ(unlisted->strategy, "single");
  EXPECT_EQ(Targets(*unlisted), std::vector<std::string>{"groq/any-model"});
  EXPECT_TRUE(unlisted->Leaves()[0]->params_json.empty());
}

// The compiled names resolve as a per-call look-up would: a route before a model of the same
// name, "provider/model" before a bare name with a slash, and an ambiguous bare name stays a
// per-call error.
TEST_F(ModelResolverTest, CompiledNamesKeepTheLookUpOrder) {
  AddProvider("openai", {"gpt-4o-mini", "shared"});
  AddProvider("meta", {});
  AddProvider("openrouter", {"meta/llama", "shared"});
  AddRoute("gpt-4o-mini", "single", {"openrouter/gpt-4o-mini"});
  Finish();
  EXPECT_EQ(ResolveOk("gpt-4o-mini").route, "gpt-4o-mini");
  EXPECT_EQ(Targets(ResolveOk("gpt-4o-mini")), std::vector<std::string>{"openrouter/gpt-4o-mini"});
  EXPECT_EQ(Targets(ResolveOk("openai/gpt-4o-mini")),
            std::vector<std::string>{"openai/gpt-4o-mini"});
  const Plan slashed = ResolveOk("meta/llama");
  ASSERT_EQ(slashed.Leaves().size(), 1u);
  EXPECT_EQ(slashed.Leaves()[0]->provider, &runtimes_[1]);
  EXPECT_EQ(slashed.Leaves()[0]->model, "llama");
  EXPECT_EQ(Targets(ResolveOk("openrouter/meta/llama")),
            std::vector<std::string>{"openrouter/meta/llama"});
  const Error error = ResolveFails("shared");
  EXPECT_EQ(error.kind, ErrorKind::kInvalidRequest);
  EXPECT_NE(error.message.find("openai/shared, openrouter/shared"), std::string::npos)
      << error.message;
  EXPECT_EQ(Targets(ResolveOk("openrouter/shared")), std::vector<std::string>{"openrouter/shared"});
}

// What each call used to work out per attempt comes with the plan: the target's key and the
// strategy's implementation.
TEST_F(ModelResolverTest, PlansCarryTargetKeysAndTheirStrategy) {
  AddProvider("openai", {"gpt-4o-mini"});
  AddProvider("groq", {});
  AddRoute("inner", "loadbalance", {"groq/b", "groq/c"});
  AddRoute("split", "fallback", {"openai/a", "inner"});
  Finish();
  const std::shared_ptr<const Plan> plan = ResolvePtr("split");
  EXPECT_EQ(plan->ordering, FindStrategy("fallback"));
  EXPECT_EQ(plan->steps[1].route->ordering, FindStrategy("loadbalance"));
  std::vector<std::string> keys;
  for (const PlannedTarget* target : plan->Leaves()) {
    keys.push_back(target->key);
    EXPECT_EQ(TargetKey(*target), target->key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"openai/a", "groq/b", "groq/c"}));
  EXPECT_EQ(ResolvePtr("gpt-4o-mini")->ordering, FindStrategy("single"));
  EXPECT_EQ(ResolvePtr("gpt-4o-mini")->steps[0].target.key, "openai/gpt-4o-mini");
  EXPECT_EQ(ResolvePtr("groq/x")->steps[0].target.key, "groq/x");
}

}  // namespace
}  // namespace switchyard::routing

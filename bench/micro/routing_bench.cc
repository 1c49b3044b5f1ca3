// Routing micro-benchmarks (issue 12): what turning a request's model into a plan costs per call.
//
//   BUILD_DIR=build-bench BUILD_TYPE=RelWithDebInfo bash scripts/build.sh -DSWITCHYARD_BENCH=ON
//   build-bench/micro_bench --benchmark_filter=Resolve
//
// Three providers (openai lists gpt-4o-mini) and two routes: `resilient`, a fallback over three
// targets each with params, and `outer`, a fallback whose first target is the nested route `inner`
// (two targets with params) with params of its own laid over inner's.
//
// - BM_ResolveDirect/0: "openai/gpt-4o-mini" (a listed model, provider/model);
//   /1: "gpt-4o-mini" (the bare name one provider lists);
//   /2: "groq/some-unlisted-model" (any model name is allowed after a configured provider).
// - BM_ResolveFallbackRoute: "resilient".
// - BM_ResolveNestedRoute: "outer".
// - BM_ResolveInlineRoute: an inline route (x-switchyard-route, already parsed) of two targets, one
//   of them the configured route `inner`: the call's own route, planned per call.
// - BM_TargetKeys: the health/latency key of every leaf of "resilient", as each attempt asks for it.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "routing/model_resolver.h"
#include "routing/strategy.h"

namespace switchyard {
namespace {

config::RouteTarget Target(std::string model, std::string params_json = {}) {
  config::RouteTarget target;
  target.model = std::move(model);
  target.params_json = std::move(params_json);
  return target;
}

config::RouteConfig Route(std::string name, std::vector<config::RouteTarget> targets) {
  config::RouteConfig route;
  route.name = std::move(name);
  route.strategy = "fallback";
  route.targets = std::move(targets);
  route.retry.attempts = 2;
  route.retry.on_status = {429, 503};
  return route;
}

// The config and provider runtimes the resolver borrows, and the resolver.
struct Fixture {
  Fixture() {
    for (const char* name : {"openai", "anthropic", "groq"}) {
      config::ProviderConfig provider;
      provider.name = name;
      config.providers.push_back(std::move(provider));
    }
    config.providers[0].models = {"gpt-4o-mini", "text-embedding-3-small"};
    config.routes.push_back(
        Route("resilient", {Target("groq/llama-3.3-70b-versatile", R"({"temperature":0.2})"),
                            Target("openai/gpt-4o-mini", R"({"temperature":0.3,"top_p":0.9})"),
                            Target("anthropic/claude-3-5-haiku-latest", R"({"max_tokens":512})")}));
    config.routes.push_back(
        Route("inner", {Target("openai/gpt-4o", R"({"top_p":0.5,"temperature":0.9})"),
                        Target("groq/llama-3.3-70b-versatile", R"({"seed":7})")}));
    config.routes.push_back(Route(
        "outer", {Target("inner", R"({"temperature":0.1})"), Target("anthropic/claude-sonnet-4-5")}));
    for (const config::ProviderConfig& provider : config.providers) {
      runtimes.push_back(routing::ProviderRuntime{&provider, {}, nullptr});
    }
    auto compiled = routing::ModelResolver::Create(config, runtimes);
    if (!compiled) {
      std::fprintf(stderr, "routing_bench: %s\n", compiled.error().message.c_str());
      std::abort();
    }
    resolver = std::move(compiled).value();
  }
  config::Config config;
  std::vector<routing::ProviderRuntime> runtimes;
  std::unique_ptr<routing::ModelResolver> resolver;
};

const Fixture& Shared() {
  static const Fixture fixture;
  return fixture;
}

void ResolveLoop(benchmark::State& state, std::string_view model) {
  const routing::ModelResolver& resolver = *Shared().resolver;
  for (auto _ : state) {
    auto plan = resolver.Resolve(model);
    if (!plan) state.SkipWithError(plan.error().message.c_str());
    benchmark::DoNotOptimize(plan);
  }
}

void BM_ResolveDirect(benchmark::State& state) {
  static constexpr std::string_view kModels[] = {"openai/gpt-4o-mini", "gpt-4o-mini",
                                                 "groq/some-unlisted-model"};
  ResolveLoop(state, kModels[state.range(0)]);
}
BENCHMARK(BM_ResolveDirect)->DenseRange(0, 2);

void BM_ResolveFallbackRoute(benchmark::State& state) { ResolveLoop(state, "resilient"); }
BENCHMARK(BM_ResolveFallbackRoute);

void BM_ResolveNestedRoute(benchmark::State& state) { ResolveLoop(state, "outer"); }
BENCHMARK(BM_ResolveNestedRoute);

void BM_ResolveInlineRoute(benchmark::State& state) {
  config::RouteConfig inline_route =
      Route("inline", {Target("groq/llama-3.1-8b-instant", R"({"temperature":0})"), Target("inner")});
  const routing::ModelResolver& resolver = *Shared().resolver;
  for (auto _ : state) {
    auto plan = resolver.ResolveRoute(inline_route);
    if (!plan) state.SkipWithError(plan.error().message.c_str());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_ResolveInlineRoute);

// The plan in a Resolve result, whichever handle the resolver returns it by.
const routing::Plan& PlanOf(const Result<routing::Plan>& plan) { return *plan; }
const routing::Plan& PlanOf(const Result<std::shared_ptr<const routing::Plan>>& plan) {
  return **plan;
}

void BM_TargetKeys(benchmark::State& state) {
  auto plan = Shared().resolver->Resolve("resilient");
  if (!plan) return state.SkipWithError(plan.error().message.c_str());
  const std::vector<const routing::PlannedTarget*> leaves = PlanOf(plan).Leaves();
  for (auto _ : state) {
    for (const routing::PlannedTarget* target : leaves) {
      benchmark::DoNotOptimize(routing::TargetKey(*target));
    }
  }
}
BENCHMARK(BM_TargetKeys);

}  // namespace
}  // namespace switchyard

#include "gateway/gateway_state.h"

#include <fmt/format.h>

#include <cstdlib>

#include "cache/response_cache.h"
#include "gateway/experiment_promotion.h"
#include "guardrails/guardrail_set.h"
#include "governance/memory_counter_store.h"
#include "governance/redis_counter_store.h"
#include "pricing/embedded_catalog.h"

namespace switchyard::gateway {

std::uint64_t RoutingSeed(int worker_index) {
  if (const char* seed = std::getenv("SWITCHYARD_RANDOM_SEED"); seed != nullptr && *seed != '\0') {
    return std::strtoull(seed, nullptr, 10) + static_cast<std::uint64_t>(worker_index);
  }
  return std::random_device{}();
}

namespace {

routing::HealthOptions HealthOptionsFrom(const config::HealthConfig& health) {
  routing::HealthOptions options;
  options.consecutive_failures = health.failures;
  options.error_rate_percent = health.error_rate_percent;
  options.min_calls = health.min_calls;
  options.window = health.window;
  options.cool_off = health.cool_off;
  return options;
}

}  // namespace

GatewayState::GatewayState(config::Config cfg)
    : config(std::move(cfg)), health(HealthOptionsFrom(config.health)) {
  sinks.push_back(&metrics);
  counters = std::make_unique<governance::MemoryCounterStore>();
  keys = std::make_unique<governance::KeyRegistry>(config, nullptr);
  governor = std::make_unique<governance::Governor>(config, *keys, *counters);
  experiments = std::make_unique<ExperimentRegistry>(config, nullptr);
  catalog = &pricing::EmbeddedCatalog();
  tls_context.set_default_verify_paths();  // honours SSL_CERT_FILE / SSL_CERT_DIR
  tls_context.set_verify_mode(net::ssl::verify_peer);
  tls_context.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                          net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                          net::ssl::context::no_tlsv1_1);
}

GatewayState::~GatewayState() = default;

namespace {

// A config price as a catalog entry, keeping what the catalog knew of the model (capabilities).
pricing::CatalogModel OverrideEntry(const pricing::PriceCatalog& catalog,
                                    const config::PriceOverride& price) {
  const pricing::CatalogModel* known = catalog.FindModel(price.provider, price.model);
  pricing::CatalogModel entry = known ? *known : pricing::CatalogModel{};
  entry.origin = "config";
  pricing::ModelPrice period;
  period.base.input = price.input;
  period.base.cached_input = price.cached_input;
  period.base.cache_write_5m = price.cache_write_5m;
  period.base.cache_write_1h = price.cache_write_1h;
  period.base.output = price.output;
  period.base.reasoning = price.reasoning ? price.reasoning : price.output;
  entry.periods = {std::move(period)};
  return entry;
}

}  // namespace

Status GatewayState::UseGovernanceStore(ledger::GovernanceStore* store) {
  if (config.state.backend == "redis") {
    // A reservation no gateway settles (it died) is given back once no call could still run.
    const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(config.deadlines.total) +
                     std::chrono::minutes(1);
    auto shared = governance::RedisCounterStore::Open(config.state.url, ttl);
    if (!shared) return std::move(shared).error();
    counters = std::move(shared).value();
  }
  auto registry = std::make_unique<governance::KeyRegistry>(config, store);
  if (Status loaded = registry->Reload(); !loaded.ok()) return loaded;
  auto next = std::make_unique<governance::Governor>(config, *registry, *counters);
  if (Status rebuilt = next->RebuildSpend(); !rebuilt.ok()) return rebuilt;
  registry->StartRefreshing();
  governor = std::move(next);
  keys = std::move(registry);
  return Status();
}

Status GatewayState::UseExperimentStore(ledger::ExperimentStore* store) {
  auto registry = std::make_unique<ExperimentRegistry>(config, store);
  if (Status loaded = registry->Load(); !loaded.ok()) return loaded;
  registry->set_promotion_check(PromotionFromReports(store));
  registry->StartRefreshing(config.experiment_refresh);
  experiments = std::move(registry);
  return Status();
}

Status GatewayState::Prepare() {
  if (!config.prices.empty()) {
    catalog_with_overrides = pricing::EmbeddedCatalog();
    for (const config::PriceOverride& price : config.prices) {
      catalog_with_overrides.Put(price.provider, price.model,
                                 OverrideEntry(catalog_with_overrides, price));
    }
    catalog = &catalog_with_overrides;
  }
  providers.clear();
  providers.reserve(config.providers.size());
  for (const config::ProviderConfig& provider : config.providers) {
    auto endpoint = http::ParseUpstreamEndpoint(provider.base_url);
    if (!endpoint) {
      return Error::Config(fmt::format("provider '{}': {}", provider.name, endpoint.error().message));
    }
    const providers::ProviderAdapter* adapter = providers::AdapterFor(provider.kind);
    if (adapter == nullptr) {
      return Error::Config(fmt::format(
          "provider '{}': the {} wire format is not supported by this version yet", provider.name,
          wire::ToString(provider.kind)));
    }
    providers.push_back({&provider, std::move(endpoint).value(), adapter});
  }
  auto compiled = routing::ModelResolver::Create(config, providers);
  if (!compiled) return std::move(compiled).error();
  resolver = std::move(compiled).value();
  if (Status guards = PrepareGuardrails(); !guards.ok()) return guards;
  if (Status experiments = PrepareExperiments(); !experiments.ok()) return experiments;
  return PrepareCache();
}

// Compiles the guardrails and resolves each llm guardrail's judge: a chat model of the config.
Status GatewayState::PrepareGuardrails() {
  auto guards = guardrails::GuardrailSet::Build(config);
  if (!guards) return std::move(guards).error();
  guardrails = std::move(guards).value();
  for (const config::GuardrailConfig& guardrail : config.guardrails) {
    if (guardrail.check != "llm") continue;
    auto plan = resolver->Resolve(guardrail.model);
    if (!plan || (*plan)->Leaves().empty()) {
      return Error::Config(fmt::format("guardrail '{}': model '{}' {}", guardrail.name,
                                       guardrail.model,
                                       plan ? "has no target" : plan.error().message));
    }
    guardrail_judges[guardrail.name] = (*plan)->Leaves().front();
    judge_plans.push_back(std::move(plan).value());
  }
  return Status();
}

// Resolves each experiment's judge: a chat model of the config.
Status GatewayState::PrepareExperiments() {
  for (const config::RouteConfig& route : config.routes) {
    if (!route.experiment || !route.experiment->judge) continue;
    const std::string& model = route.experiment->judge->model;
    auto plan = resolver->Resolve(model);
    if (!plan || (*plan)->Leaves().empty()) {
      return Error::Config(fmt::format("route '{}': judge model '{}' {}", route.name, model,
                                       plan ? "has no target" : plan.error().message));
    }
    experiment_judges[route.name] = (*plan)->Leaves().front();
    judge_plans.push_back(std::move(plan).value());
  }
  return Status();
}

// The semantic cache's embedding model is called like an OpenAI embeddings endpoint: its target
// must speak that format.
Status GatewayState::PrepareCache() {
  auto opened = cache::ResponseCache::Open(config.cache);
  if (!opened) return std::move(opened).error();
  cache = std::move(opened).value();
  if (blocking_pool != nullptr) {  // joined before the state goes, in serve
    cache->set_index_offload([pool = blocking_pool](std::function<void()> add) {
      net::post(*pool, std::move(add));
    });
  }
  const std::string& model = config.cache.semantic.embedding_model;
  if (model.empty()) return Status();
  auto plan = resolver->Resolve(model);
  if (!plan) {
    return Error::Config(fmt::format("cache.semantic.embedding_model '{}': {}", model,
                                     plan.error().message));
  }
  const std::vector<const routing::PlannedTarget*> leaves = (*plan)->Leaves();
  if (leaves.empty() ||
      leaves.front()->provider->adapter->wire_format() != wire::Format::kOpenAI) {
    return Error::Config(fmt::format("cache.semantic.embedding_model '{}' must be a model of a "
                                     "provider with the openai wire format (an /v1/embeddings "
                                     "endpoint)",
                                     model));
  }
  embedding_plan = std::move(plan).value();
  embedding_target = leaves.front();
  return Status();
}

}  // namespace switchyard::gateway

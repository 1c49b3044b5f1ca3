// GatewayState and Worker: what the request handlers share.
//   GatewayState — built once at startup, immutable afterwards, shared by every worker thread:
//                  the config, the providers with their parsed endpoints, the model resolver, the
//                  call sinks.
//   Worker       — one per worker thread, touched only by that thread (no locks): its io_context and
//                  its upstream connection pool.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "config/config.h"
#include "gateway/background_work.h"
#include "gateway/experiment_registry.h"
#include "governance/counter_store.h"
#include "governance/governor.h"
#include "governance/key_registry.h"
#include "http/client/connection_pool.h"
#include "ledger/call_sink.h"
#include "ledger/query/ledger_store.h"
#include "pricing/price_catalog.h"
#include "routing/health.h"
#include "routing/latency_tracker.h"
#include "routing/model_resolver.h"
#include "routing/provider_runtime.h"
#include "telemetry/metrics_sink.h"

namespace switchyard::guardrails {
class GuardrailSet;
}  // namespace switchyard::guardrails
namespace switchyard::cache {
class ResponseCache;
}

namespace switchyard::gateway {

struct GatewayState {
  explicit GatewayState(config::Config cfg);
  ~GatewayState();
  GatewayState(const GatewayState&) = delete;

  // Checks what the config loader cannot: every provider has an adapter and a usable base URL;
  // then compiles every route's plan (routing::ModelResolver::Create); opens the response cache
  // and resolves its embedding model.
  Status Prepare();
  Status PrepareCache();
  Status PrepareGuardrails();
  Status PrepareExperiments();

  const config::Config config;
  std::vector<routing::ProviderRuntime> providers;
  std::unique_ptr<routing::ModelResolver> resolver;
  std::vector<ledger::CallSink*> sinks;  // not owned
  // `ledger.durability: strict`: the ledger (also in `sinks`), which commits each answered call
  // before the answer's last byte (Call::BeforeLastByte). Null in batch mode. Not owned; it
  // calls back on the workers' io_contexts, so it is flushed before they are destroyed.
  ledger::DurableCallSink* strict_ledger = nullptr;
  telemetry::MetricsSink metrics;         // also in `sinks`; served at GET /metrics
  const pricing::PriceCatalog* catalog = nullptr;  // the embedded catalog plus config `prices:`
  ledger::LedgerStore* ledger_reader = nullptr;  // not owned; null without a ledger to read
  net::thread_pool* blocking_pool = nullptr;      // not owned; for work that blocks (disk reads)
  // What routing learns from traffic: each target's circuit breaker and 429 cool-down, and its
  // recent latency. Internally synchronised (mutable: every call feeds them). With `health:
  // enabled: false` the health registry is neither fed nor consulted.
  mutable routing::HealthRegistry health;
  mutable routing::LatencyTracker latency;
  // Mutable: creating a TLS stream needs a non-const context; SSL_CTX use is thread-safe.
  mutable net::ssl::context tls_context{net::ssl::context::tls_client};

  // Governance (CONTRACT.md "Governance"): the keys and budgets (the config's; the ledger's too
  // once UseGovernanceStore ran), the live counters (in memory) and the door every call passes.
  std::unique_ptr<governance::CounterStore> counters;
  std::unique_ptr<governance::KeyRegistry> keys;
  std::unique_ptr<governance::Governor> governor;

  // The `ab` routes' experiments (their live state; the ledger's experiment store once
  // UseExperimentStore ran).
  std::unique_ptr<ExperimentRegistry> experiments;

  // Reads the experiments' state from the ledger's database (not owned; it outlives the state),
  // registering new epochs, and starts following changes (another gateway's pause, a promotion).
  Status UseExperimentStore(ledger::ExperimentStore* store);

  // Adds the virtual keys and budgets of the ledger's database (not owned; it outlives the
  // state), rebuilds this period's spend from the ledger, and starts following changes.
  Status UseGovernanceStore(ledger::GovernanceStore* store);

  // The response cache (CONTRACT.md "Cache"), always there for calls that opt in; and the target
  // of the semantic cache's embedding model (null without one), kept alive by its plan.
  std::unique_ptr<cache::ResponseCache> cache;
  // Every guardrail of the config, compiled (CONTRACT.md "Guardrails"); empty without any.
  std::shared_ptr<const guardrails::GuardrailSet> guardrails;
  // The judge of each llm guardrail, by its name: its model's first target (its plan kept alive).
  std::map<std::string, const routing::PlannedTarget*, std::less<>> guardrail_judges;
  std::vector<std::shared_ptr<const routing::Plan>> judge_plans;
  // The judge of each ab route's experiment, by the route's name: its model's first target (its
  // plan kept alive in judge_plans).
  std::map<std::string, const routing::PlannedTarget*, std::less<>> experiment_judges;
  std::shared_ptr<const routing::Plan> embedding_plan;
  const routing::PlannedTarget* embedding_target = nullptr;

  // The catalog the gateway prices with, when the config adds prices; else `catalog` points at
  // the embedded one and this stays empty.
  pricing::PriceCatalog catalog_with_overrides;

  void Record(const ledger::CallRecord& record) const {
    for (ledger::CallSink* sink : sinks) sink->Record(record);
  }
  // A late record (ledger::CallRecord::late): attempts after the answer, added to its call.
  void RecordLate(const ledger::CallRecord& record) const {
    for (ledger::CallSink* sink : sinks) sink->RecordLate(record);
  }
};

// The seed of a worker's routing generator: SWITCHYARD_RANDOM_SEED (plus the worker's index) when
// set, so that a load-balanced run can be replayed; else a random one.
std::uint64_t RoutingSeed(int worker_index);

struct Worker {
  Worker(const GatewayState& state, net::io_context& io, int index = 0)
      : state(state), io(io), pool(io.get_executor(), state.tls_context), rng(RoutingSeed(index)) {}
  const GatewayState& state;
  net::io_context& io;
  http::ConnectionPool pool;
  std::mt19937_64 rng;  // routing's draws (load balancing, exploration); this thread's only
  // What runs after a client has its answer (an experiment's shadow and judge calls).
  BackgroundWork background;
};

}  // namespace switchyard::gateway

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "demo/simulated_models.h"
#include "demo/simulated_provider.h"
#include "gateway/gateway_server.h"
#include "gateway/gateway_state.h"
#include "http/server/fd_limit.h"
#include "ledger/ledger_factory.h"
#include "ledger/sinks/access_log_sink.h"

namespace switchyard::cli {
namespace {

void PrintProblems(const std::string& source, const std::vector<config::ConfigProblem>& problems) {
  for (const config::ConfigProblem& problem : problems) {
    if (problem.line > 0) {
      std::fprintf(stderr, "%s:%d: %s\n", source.c_str(), problem.line, problem.message.c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", source.c_str(), problem.message.c_str());
    }
  }
}

std::optional<config::Config> LoadConfig(const ServeOptions& options) {
  if (options.config_path.empty()) return config::DefaultConfig();
  config::LoadResult loaded = config::LoadConfigFile(options.config_path);
  if (!loaded.config) {
    PrintProblems(options.config_path, loaded.problems);
    return std::nullopt;
  }
  for (const config::ConfigProblem& warning : loaded.warnings) {
    spdlog::warn("{}:{}: {}", options.config_path, warning.line, warning.message);
  }
  return std::move(loaded.config);
}

// The semantic cache's embedding model in demo mode (the simulated provider embeds any model name
// with demo/simulated_embedder.h), and demo-semantic's threshold for that embedder
// (tests/data/semantic_pairs.json: the README shows its precision and hit rate per threshold).
constexpr std::string_view kDemoEmbedder = "demo-embed";
constexpr double kDemoSemanticThreshold = 0.8;

// "a", "a and b", "a, b and c".
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// The simulated models' simulated list prices, so that the ledger shows what a race or a hedge
// cost; a price the config sets for a demo model stays.
void AddDemoPrices(config::Config& cfg) {
  for (const demo::SimulatedModel& model : demo::SimulatedModels()) {
    const bool priced = std::any_of(cfg.prices.begin(), cfg.prices.end(),
                                    [&](const config::PriceOverride& price) {
                                      return price.provider == "demo" && price.model == model.name;
                                    });
    if (priced) continue;
    config::PriceOverride price;
    price.provider = "demo";
    price.model = std::string(model.name);
    price.input = model.input_price;
    price.output = model.output_price;
    cfg.prices.push_back(std::move(price));
  }
  config::PriceOverride embedder;  // the semantic cache's simulated embedding model
  embedder.provider = "demo";
  embedder.model = std::string(kDemoEmbedder);
  embedder.input = 20'000'000;  // $0.02 per million tokens
  embedder.output = 0;
  const bool priced = std::any_of(cfg.prices.begin(), cfg.prices.end(),
                                  [](const config::PriceOverride& price) {
                                    return price.provider == "demo" &&
                                           price.model == kDemoEmbedder;
                                  });
  if (!priced) cfg.prices.push_back(std::move(embedder));
}

config::RouteConfig DemoRoute(std::string name, std::string strategy,
                              const std::vector<std::string_view>& models) {
  config::RouteConfig route;
  route.name = std::move(name);
  route.strategy = std::move(strategy);
  for (std::string_view model : models) {
    config::RouteTarget target;
    target.model = fmt::format("demo/{}", model);
    route.targets.push_back(std::move(target));
  }
  return route;
}

// demo-guarded's guardrails (CONTRACT.md "Guardrails"): a secret in the request is refused before
// any provider sees it, and personal data in the answer (the simulated models echo the prompt) is
// redacted, streams included. Each is added unless the config defines a guardrail of that name.
void AddDemoGuardrails(config::Config& cfg) {
  config::GuardrailConfig secrets;
  secrets.name = "demo-no-secrets";
  secrets.on = config::GuardrailStage::kInput;
  secrets.check = "secrets";
  secrets.action = config::GuardrailAction::kDeny;
  config::GuardrailConfig pii;
  pii.name = "demo-pii-out";
  pii.on = config::GuardrailStage::kOutput;
  pii.check = "pii";
  pii.action = config::GuardrailAction::kRedact;
  for (config::GuardrailConfig* guardrail : {&secrets, &pii}) {
    const bool defined = std::any_of(cfg.guardrails.begin(), cfg.guardrails.end(),
                                     [&](const auto& g) { return g.name == guardrail->name; });
    if (!defined) cfg.guardrails.push_back(std::move(*guardrail));
  }
}

// demo-ab's experiment (CONTRACT.md "Route shapes" ab): demo-smart (the control) against the much
// cheaper demo-fast, sticky per metadata `user`, every call judged pairwise by demo-judge (whose
// verdicts are simulated: demo/simulated_models.h), so `switchyard experiments show demo-ab` has
// results after a few calls.
config::RouteConfig DemoExperimentRoute() {
  config::RouteConfig route = DemoRoute("demo-ab", "ab", {"demo-smart", "demo-fast"});
  route.sticky = "user";
  config::ExperimentConfig experiment;
  experiment.variants = {{"smart", "demo/demo-smart", 50, 0}, {"fast", "demo/demo-fast", 50, 0}};
  for (std::size_t i = 0; i < route.targets.size(); ++i) {
    route.targets[i].weight = experiment.variants[i].share;
  }
  config::ExperimentJudge judge;
  judge.model = "demo/demo-judge";
  judge.sample = 1.0;
  judge.max_nanos_per_day = 1'000'000'000;  // $1 a day of simulated judging
  experiment.judge = std::move(judge);
  experiment.epoch = config::ExperimentEpoch(route.name, experiment.variants);
  route.experiment = std::move(experiment);
  return route;
}


// Two demo gateway keys (unless the config has keys of its own): `demo` without limits, and
// `demo-tiny` with a hard budget of $0.002 a day, which a few demo-smart calls use up, so a new
// user sees the 402 a budget answers with (README, quick start). Public values, for the demo only.
constexpr std::string_view kDemoKey = "sy-demo-key-for-trying";
constexpr std::string_view kDemoTinyKey = "sy-demo-tiny-budget-key";

std::string AddDemoKeys(config::Config& cfg) {
  if (!cfg.keys.empty()) return "";
  config::GatewayKey open{Secret(std::string(kDemoKey)), "demo", {}};
  config::GatewayKey tiny{Secret(std::string(kDemoTinyKey)), "demo-tiny", {}};
  tiny.policy.budget = config::BudgetLimit{2'000'000, config::BudgetPeriod::kDay, true};
  cfg.keys.push_back(std::move(open));
  cfg.keys.push_back(std::move(tiny));
  return fmt::format("; demo keys {} and {} (a $0.002 daily budget)", kDemoKey, kDemoTinyKey);
}

// Demo mode: a simulated provider named "demo" joins the config (unless the config has its own),
// with its prices and the demo routes (each unless the config has a route of that name). Returns
// what the start-up line says of demo mode.
std::string AddDemoProvider(config::Config& cfg, const demo::SimulatedProvider& simulated) {
  if (cfg.FindProvider("demo") != nullptr) {
    return "; demo mode: the config's own provider 'demo' is used, not the simulated one";
  }
  config::ProviderConfig provider;
  provider.name = "demo";
  provider.kind = wire::Format::kOpenAI;
  provider.base_url = simulated.base_url();
  provider.deadlines = cfg.deadlines;
  provider.models = demo::SimulatedProvider::Models();
  cfg.providers.push_back(std::move(provider));
  AddDemoPrices(cfg);
  AddDemoGuardrails(cfg);
  if (cfg.cache.semantic.embedding_model.empty()) {
    cfg.cache.semantic.embedding_model = fmt::format("demo/{}", kDemoEmbedder);
  }
  std::vector<std::string> models;
  for (const std::string& model : demo::SimulatedProvider::Models()) {
    models.push_back("demo/" + model);
  }
  std::vector<std::string> routes;
  for (config::RouteConfig& route : DemoRoutes()) {
    if (cfg.FindRoute(route.name) != nullptr) continue;
    routes.push_back(route.name);
    cfg.routes.push_back(std::move(route));
  }
  return fmt::format("; demo mode: simulated providers, models {}{}{}", JoinNames(models),
                     routes.empty() ? "" : "; routes " + JoinNames(routes), AddDemoKeys(cfg));
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("switchyard");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

// Each connection holds a file descriptor: without a cap below the fd limit, idle connections can
// take every descriptor and starve the calls (accept, upstream connections and the ledger fail).
void SetConnectionLimit(http::ClientLimits& limits) {
  const http::FdLimit fds = http::RaiseFdLimit();
  if (limits.max_connections == 0) limits.max_connections = http::DefaultMaxConnections(fds.now);
  spdlog::info("file descriptor limit {}{}; limits.max_connections {}", fds.now,
               fds.now != fds.before ? fmt::format(" (raised from {})", fds.before) : "",
               limits.max_connections);
  if (limits.max_connections >= fds.now) {
    spdlog::warn("limits.max_connections ({}) is not below the file descriptor limit ({}): idle "
                 "connections can starve upstream calls", limits.max_connections, fds.now);
  }
}

// Short keys are refused at load (config_loader); keys that pass but are still guessable get a
// warning, naming the key by its name only.
void WarnAboutShortKeys(const std::vector<config::GatewayKey>& keys) {
  for (const config::GatewayKey& key : keys) {
    if (key.key.reveal().size() < config::kRecommendedGatewayKeyLength) {
      spdlog::warn("gateway key '{}' is shorter than {} characters: use a long random key",
                   key.name, config::kRecommendedGatewayKeyLength);
    }
  }
}

// With no gateway key anywhere (config or virtual), calls need no key: then only on loopback.
Status RequireKeysOffLoopback(const gateway::GatewayState& state, const std::string& host) {
  if (state.keys->snapshot()->any_key) return Status();
  if (!IsLoopbackHost(host)) {
    return Error::Config(fmt::format(
        "refusing to listen on {} without gateway keys: add `keys:` to the config, create a "
        "virtual key (switchyard keys create), or listen on 127.0.0.1", host));
  }
  spdlog::warn("no gateway keys configured: accepting calls without a key, on loopback only");
  return Status();
}

// Blocks until SIGINT or SIGTERM arrives at `signals` (or has arrived since it was created).
void WaitForSignal(net::io_context& signals_io, net::signal_set& signals) {
  signals.async_wait([](const boost::system::error_code&, int signal) {
    spdlog::info("received {}, shutting down gracefully", signal == SIGINT ? "SIGINT" : "SIGTERM");
  });
  signals_io.run();
}

}  // namespace

// A route per feature over the simulated models (README, quick start): demo-fast wins demo-race and
// demo-smart is cancelled; demo-race-json asks for JSON, so the slower demo-json beats demo-fast's
// plain text; demo-hedge starts demo-fast only when demo-tail is slow (one answer in ten);
// demo-fallback moves on from demo-down (always a 503) to demo-fast; demo-cached answers a repeated
// question from the cache, demo-semantic also a reworded one (over the simulated embedder);
// demo-guarded refuses a secret in the request and redacts personal data in the answer; demo-ab
// splits users between demo-smart and demo-fast and judges every call.
std::vector<config::RouteConfig> DemoRoutes() {
  std::vector<config::RouteConfig> routes;
  routes.push_back(DemoRoute("demo-race", "race", {"demo-fast", "demo-smart"}));
  config::RouteConfig race_json = DemoRoute("demo-race-json", "race", {"demo-fast", "demo-json"});
  race_json.accept.json = true;
  routes.push_back(std::move(race_json));
  config::RouteConfig hedge = DemoRoute("demo-hedge", "hedge", {"demo-tail", "demo-fast"});
  hedge.hedge.fixed = demo::kDemoHedgeDelay;
  routes.push_back(std::move(hedge));
  routes.push_back(DemoRoute("demo-fallback", "fallback", {"demo-down", "demo-fast"}));
  config::RouteConfig cached = DemoRoute("demo-cached", "single", {"demo-smart"});
  cached.cache.mode = config::CacheMode::kExact;
  routes.push_back(std::move(cached));
  config::RouteConfig semantic = DemoRoute("demo-semantic", "single", {"demo-smart"});
  semantic.cache.mode = config::CacheMode::kSemantic;
  semantic.cache.threshold = kDemoSemanticThreshold;
  routes.push_back(std::move(semantic));
  config::RouteConfig guarded = DemoRoute("demo-guarded", "single", {"demo-fast"});
  guarded.guardrails = {"demo-no-secrets", "demo-pii-out"};
  routes.push_back(std::move(guarded));
  routes.push_back(DemoExperimentRoute());
  return routes;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

int Serve(const ServeOptions& options) {
  std::optional<config::Config> cfg = LoadConfig(options);
  if (!cfg) return 2;
  if (!options.listen.empty() &&
      !config::ParseListenAddress(options.listen, &cfg->listen_host, &cfg->listen_port)) {
    std::fprintf(stderr, "--listen must be HOST:PORT, got '%s'\n", options.listen.c_str());
    return 2;
  }
  SetUpLogging(cfg->log_level);
  WarnAboutShortKeys(cfg->keys);
  SetConnectionLimit(cfg->client);

  std::unique_ptr<demo::SimulatedProvider> simulated;
  std::string demo_note;
  if (options.demo) {
    simulated = std::make_unique<demo::SimulatedProvider>();
    if (Status started = simulated->Start(); !started.ok()) {
      std::fprintf(stderr, "cannot start the simulated provider: %s\n",
                   started.error().message.c_str());
      return 1;
    }
    demo_note = AddDemoProvider(*cfg, *simulated);
  }

  std::string sink_error;
  auto access_log = cfg->access_log == "off"
                        ? nullptr : ledger::AccessLogSink::Open(cfg->access_log, &sink_error);
  if (cfg->access_log != "off" && !access_log) {
    std::fprintf(stderr, "%s\n", sink_error.c_str());
    return 2;
  }
  // The ledger: every call and attempt, written off the request path; it outlives the server so
  // that the calls the server finishes during shutdown are still written.
  // The backend is the config's (sqlite or postgres); errors never quote a postgres URL.
  auto opened = ledger::OpenLedger(cfg->ledger);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  std::unique_ptr<ledger::BatchingLedgerSink> ledger_sink = std::move(opened->sink);
  std::unique_ptr<ledger::LedgerStore> ledger_reader = std::move(opened->store);
  // Virtual keys, budgets and the audit log, in the same database.
  auto governance_opened = ledger::OpenGovernanceStore(cfg->ledger);
  if (!governance_opened) {
    std::fprintf(stderr, "%s\n", governance_opened.error().message.c_str());
    return 1;
  }
  std::unique_ptr<ledger::GovernanceStore> governance_store = std::move(*governance_opened);
  // The ab experiments' state and results, in the same database.
  auto experiments_opened = ledger::OpenExperimentStore(cfg->ledger);
  if (!experiments_opened) {
    std::fprintf(stderr, "%s\n", experiments_opened.error().message.c_str());
    return 1;
  }
  std::unique_ptr<ledger::ExperimentStore> experiment_store = std::move(*experiments_opened);
  net::thread_pool blocking_pool(1);

  const int threads = cfg->threads > 0 ? cfg->threads
                                       : std::max(1u, std::thread::hardware_concurrency());
  const std::string host = cfg->listen_host;
  const std::uint16_t port = cfg->listen_port;
  const auto grace = cfg->shutdown_grace;

  gateway::GatewayState state(std::move(*cfg));
  if (access_log) state.sinks.push_back(access_log.get());
  state.sinks.push_back(ledger_sink.get());
  if (state.config.ledger.durability == config::LedgerDurability::kStrict) {
    state.strict_ledger = ledger_sink.get();
  }
  state.metrics.WatchLedger(ledger_sink.get());
  state.ledger_reader = ledger_reader.get();
  state.blocking_pool = &blocking_pool;
  if (Status prepared = state.Prepare(); !prepared.ok()) {
    std::fprintf(stderr, "%s\n", prepared.error().message.c_str());
    return 2;
  }
  if (Status governed = state.UseGovernanceStore(governance_store.get()); !governed.ok()) {
    std::fprintf(stderr, "cannot read the gateway keys and budgets: %s\n",
                 governed.error().message.c_str());
    return 1;
  }
  if (Status experiments = state.UseExperimentStore(experiment_store.get()); !experiments.ok()) {
    std::fprintf(stderr, "cannot read the experiments: %s\n", experiments.error().message.c_str());
    return 1;
  }
  if (Status keyed = RequireKeysOffLoopback(state, host); !keyed.ok()) {
    std::fprintf(stderr, "%s\n", keyed.error().message.c_str());
    return 2;
  }
  gateway::GatewayServer server(state, threads);
  if (Status listening = server.Listen(host, port); !listening.ok()) {
    std::fprintf(stderr, "%s\n", listening.error().message.c_str());
    return 1;
  }
  // The handlers are installed before "listening on" is printed: a SIGTERM sent as soon as that
  // line appears must shut down gracefully (exit 0), not kill the process.
  net::io_context signals_io(1);
  net::signal_set signals(signals_io, SIGINT, SIGTERM);
  server.Start();
  const bool ipv6 = host.find(':') != std::string::npos;
  spdlog::info("listening on http://{}{}{}:{} with {} worker thread(s){}", ipv6 ? "[" : "", host,
               ipv6 ? "]" : "", server.port(), threads, demo_note);
  WaitForSignal(signals_io, signals);
  server.Shutdown(grace);
  state.keys->Stop();
  state.experiments.reset();  // its refresh thread reads the store
  if (access_log) access_log->Flush();
  ledger_sink->Flush();
  blocking_pool.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace switchyard::cli

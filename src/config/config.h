// Config: the gateway's whole configuration, loaded once at startup from YAML (or the embedded
// defaults) into immutable values that are passed to the stages that need them (STYLE.md anti-pattern
// 4: no global mutable configuration). Every field has its documented default here.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/cache_config.h"
#include "config/experiment_config.h"
#include "config/guardrail_config.h"
#include "config/governance_config.h"
#include "core/secret.h"
#include "hosts/host_profile.h"
#include "http/client/upstream_deadlines.h"
#include "http/server/client_limits.h"

namespace switchyard::config {

using Millis = std::chrono::milliseconds;

// The client limits and the upstream deadlines are http/'s own plain types (http::ClientLimits,
// http::UpstreamDeadlines), which the loader fills from `limits:`: http/ stays below config/.

// The default bound on a whole answer read from a provider (it is held in memory once).
inline constexpr std::uint64_t kDefaultMaxResponseBody = 32ull << 20;

struct ProviderConfig {
  std::string name;                      // the key under `providers:`
  wire::Format kind = wire::Format::kOpenAI;
  std::string base_url;                  // without a trailing slash; defaulted for known names
  Secret api_key;                        // empty when none is configured
  http::UpstreamDeadlines deadlines;     // top-level limits, overridden per provider
  // The largest whole (non-streamed) answer read from this provider, in bytes; a larger one is a
  // 502. The top-level `limits.max_response_body`, overridden per provider.
  std::uint64_t max_response_body = kDefaultMaxResponseBody;
  std::vector<std::string> models;       // models this provider offers (listed by /v1/models and
                                         // used to resolve bare model names); optional
  std::map<std::string, std::string> headers;  // extra headers sent upstream (e.g. HTTP-Referer)
  const hosts::HostProfile* profile = nullptr;  // the known host's quirk row, if known
  int line = 0;                          // where it was defined, for later error messages
};

// Gateway keys shorter than this are refused at load: they can be guessed.
inline constexpr std::size_t kMinGatewayKeyLength = 8;
// ... and shorter than this get a warning at start-up.
inline constexpr std::size_t kRecommendedGatewayKeyLength = 16;

struct GatewayKey {
  Secret key;
  std::string name;  // shows in the access log and the ledger instead of the key
  KeyPolicy policy;  // team, tags, models, budget, limits, expiry, guardrails
  int line = 0;
};

// A route target as written; `model` is "provider/model" or another route's name.
struct RouteTarget {
  std::string model;
  double weight = 1;  // a share under `loadbalance`: any positive number, split by proportion
  std::optional<Millis> timeout;
  std::string params_json;  // a JSON object merged into the request body; empty when none
  int line = 0;             // where it was written, for later error messages
};

struct RetryPolicy {
  int attempts = 1;                // every try of one target, the first included
  std::vector<int> on_status = {429, 500, 502, 503, 504, 529};
  // `deadline_ms`: once this long has passed since the call arrived, no further attempt (retry or
  // fallback) starts, and an attempt gets at most the time left. None by default.
  std::optional<Millis> deadline;
};

// One rule of a `conditional` route: when every condition it sets holds, the call goes to
// `target`. Unset conditions match anything; an empty rule matches every call.
struct RouteCondition {
  std::map<std::string, std::string> metadata;  // x-switchyard-metadata keys that must equal these
                                                // values (numbers and booleans by their JSON text)
  std::optional<std::string> inbound;           // the client's API: openai | anthropic
  std::optional<std::string> model;             // the model the client's body asked for
  std::optional<bool> has_tools;
  std::optional<bool> has_images;
  std::optional<bool> stream;
  std::optional<std::int64_t> min_input_tokens;  // the estimated prompt is at least this long
  std::size_t target = 0;                        // index into RouteConfig::targets
  int line = 0;
};

// How large a route may be (`limits:`). Inline routes come from clients: over a cap the call is a 400
// before any upstream call. Configured routes are held to the depth too (a config error).
struct RouteLimits {
  int max_inline_targets = 16;  // `max_inline_route_targets`: targets an inline route may list
  int max_depth = 4;            // `max_route_depth`: routes nested in routes, the outer one counted
};

// `accept:` of a race or hedge route — what makes an answer acceptable beyond a success status
// (CONTRACT.md "Route shapes"). Every check is off by default. Compiled into checks by accept/.
struct AcceptConfig {
  bool non_empty = false;    // some text or a tool call
  bool json = false;         // the answer's text parses as JSON
  bool json_schema = false;  // ... and validates against the request's own output schema
  std::int64_t min_length = 0;       // at least this many characters (UTF-8 code points) of text
  std::optional<std::string> regex;  // the text matches (a search, linear-time: regex/)
  bool tool_call = false;    // the answer calls a tool
  int line = 0;

  // Whether any check needs the whole answer (everything but non_empty, which the first content
  // settles).
  bool NeedsWholeAnswer() const {
    return json || json_schema || min_length > 0 || regex.has_value() || tool_call;
  }
  bool any() const { return non_empty || NeedsWholeAnswer(); }
};

// `delay_ms` / `delay` of a hedge route: when the next target starts if the ones in flight have
// not answered (first byte, for streams).
struct HedgeDelay {
  Millis fixed{0};                  // `delay_ms`; with `quantile`, used while too few samples exist
  std::optional<double> quantile;   // `delay: p90` → 0.90 (p50, p75, p90, p95, p99)
};

struct RouteConfig {
  std::string name;
  std::string strategy;            // single | fallback | loadbalance | ... (CONTRACT.md)
  std::vector<RouteTarget> targets;  // conditional: the rules' targets, then the default
  RetryPolicy retry;
  std::string sticky;              // metadata key for stickiness; empty when none
  std::vector<RouteCondition> conditions;  // conditional only: first match wins
  std::size_t default_target = 0;  // conditional only: index into targets when no rule matches
  // race and hedge only:
  AcceptConfig accept;
  std::optional<int> max_parallel;           // attempts in flight at once; none: every target
  std::optional<std::int64_t> max_cost_nanos;  // `max_cost_usd`: worst-case spend a race may start
  HedgeDelay hedge;                          // hedge only
  RouteCacheConfig cache;                    // `cache:`: its calls' cache defaults
  std::vector<std::string> guardrails;       // names under the top-level `guardrails:`
  // ab only: the experiment (its variants are also `targets`, in the same order).
  std::optional<ExperimentConfig> experiment;
  int line = 0;
};

// `routing:` — gateway-wide routing limits.
struct RoutingConfig {
  int max_parallel_attempts = 8;  // attempts of one call in flight at once, whatever the route
};

// A price the config sets for one model (overriding or adding to the shipped catalog), per token
// class, in nano-dollars per million tokens (written in the config as USD per million tokens).
struct PriceOverride {
  std::string provider;  // as configured under `providers:`
  std::string model;     // as sent upstream
  std::optional<std::int64_t> input, cached_input, cache_write_5m, cache_write_1h, output,
      reasoning;         // reasoning defaults to output when not given
  int line = 0;
};

// `ledger:` — where calls are recorded, and how durably (CONTRACT.md "Ledger durability").
enum class LedgerDurability {
  kBatch,   // rows are written in batches; a crash loses at most the last `flush_ms` of calls
  kStrict,  // a call's row is committed (group commit) before the last byte of its answer
};

struct LedgerConfig {
  std::string backend = "sqlite";  // sqlite | postgres
  std::string path = "./switchyard-data/ledger.db";
  Secret url;                      // postgres connection URL
  LedgerDurability durability = LedgerDurability::kBatch;
  Millis flush_ms{50};             // batch: how long a batch may wait to fill
  std::int64_t max_queued = 100'000;  // calls waiting to be written, at most; more are dropped
};

// `health:` — how routing learns that a target is unhealthy: a circuit breaker per provider/model
// (opens after `failures` counted failures in a row, or at `error_rate_percent` failures over at least
// `min_calls` calls in `window`; lets one probe through after `cool_off`) and 429 cool-downs (until
// the provider's retry-after). `enabled: false` turns both off: targets are tried as the strategy
// orders them, whatever happened before.
struct HealthConfig {
  bool enabled = true;
  int failures = 5;
  int error_rate_percent = 50;
  int min_calls = 20;
  Millis window{60'000};
  Millis cool_off{30'000};
};

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  int threads = 0;                 // 0: the core count
  Secret admin_key;
  std::string access_log = "stdout";  // stdout | stderr | off | a file path
  std::string log_level = "info";
  Millis shutdown_grace{30'000};   // in-flight calls get this long after SIGTERM
  http::UpstreamDeadlines deadlines;  // defaults for every provider
  std::uint64_t max_response_body = kDefaultMaxResponseBody;  // default for every provider
  http::ClientLimits client;
  LedgerConfig ledger;
  HealthConfig health;
  std::vector<ProviderConfig> providers;
  std::vector<GatewayKey> keys;
  std::vector<RouteConfig> routes;
  RouteLimits route_limits;        // from `limits:`
  RoutingConfig routing;           // from `routing:`
  std::vector<PriceOverride> prices;
  GovernanceConfig governance;     // from `governance:`
  StateConfig state;               // from `state:`
  CacheConfig cache;               // from `cache:`
  std::vector<GuardrailConfig> guardrails;  // from `guardrails:`, in the order written
  // `experiments.refresh_ms`: how often a gateway reads the ab experiments' state from the ledger
  // database (another gateway's pause or promotion) and checks whether a promotion is due.
  Millis experiment_refresh{2000};

  const ProviderConfig* FindProvider(std::string_view name) const;
  const RouteConfig* FindRoute(std::string_view name) const;
};

}  // namespace switchyard::config

// The loaders of the config's list-like sections (providers, keys, routes). Each reads its part of
// the YAML into Config values and reports every problem with its line; config_loader.cc calls them
// in dependency order (providers before routes, which refer to them). Used only while loading.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace switchyard::config {

// `providers:` — a map of name → provider. Each provider's deadlines and response bound start from
// `defaults` and `max_response_body` (the top-level limits) and are overridden by its own
// `limits:`. `entry` may be nullptr (absent).
void LoadProviders(const MapEntry* entry, const http::UpstreamDeadlines& defaults,
                   std::uint64_t max_response_body, std::vector<ProviderConfig>* providers,
                   Problems* problems);

// `keys:` — a list of { key, name }, both required, names and keys unique. Messages name an entry
// by its index and name, never by its key.
void LoadKeys(const MapEntry* entry, std::vector<GatewayKey>* keys, Problems* problems);

// A key's policy fields (config/governance_config.h) from its `keys:` entry: team, tags, models,
// budget { usd, period, mode }, limits { rpm, input_tpm, output_tpm }, expires_at.
std::span<const std::string_view> KeyPolicyFields();
void LoadKeyPolicy(const MapReader& key, KeyPolicy* policy, Problems* problems);

// `governance:` (unknown_price, exempt_free_models, budgets and limits above keys, refresh_ms)
// and `state:` (backend, url, on_redis_down).
void LoadGovernance(const MapReader& top, GovernanceConfig* governance, Problems* problems);
void LoadState(const MapReader& top, StateConfig* state);

// `cache:` (CONTRACT.md "Cache"), and a route's own `cache:` (`route` is the route's reader; a
// route without one keeps the default, off).
void LoadCache(const MapReader& top, CacheConfig* cache);
void LoadRouteCache(const MapReader& route, RouteCacheConfig* cache);

// `routes:` — a map of name → route. Targets must name a configured provider ("provider/model") or
// another route; routes that reach themselves or nest deeper than `limits.max_depth` are reported.
// A race or hedge route's `max_parallel` is held to `routing.max_parallel_attempts`.
void LoadRoutes(const MapEntry* entry, const std::vector<ProviderConfig>& providers,
                const RouteLimits& limits, const RoutingConfig& routing,
                std::vector<RouteConfig>* routes, Problems* problems);

// An `ab` route's `variants` (each also becomes one of route->targets, in order), `judge` and
// `promote` (config/experiment_config.h), and its epoch.
void LoadExperiment(const MapReader& route_reader, RouteConfig* route, Problems* problems);

// check-config's warnings about experiments: a judge of the same model family as a variant.
std::vector<ConfigProblem> ExperimentWarnings(const Config& config);

// `accept:` of one route (its reader is `route_reader`): non_empty, json, json_schema, tool_call
// (true or false), min_length (0 to 1000000) and regex (a string or null), compiled here so that a
// pattern that does not compile — or is longer than regex::kMaxPatternBytes — is a problem at its
// line. Sets accept->line; leaves *accept as it is when the route has no accept.
void LoadAccept(MapReader& route_reader, AcceptConfig* accept, Problems* problems);

// `prices:` — a map of "provider/model" → { input, cached_input, cache_write_5m, cache_write_1h,
// output, reasoning } in USD per million tokens (exact decimals, at most 9 places). The provider must
// be configured.
void LoadPrices(const MapEntry* entry, const std::vector<ProviderConfig>& providers,
                std::vector<PriceOverride>* prices, Problems* problems);

// `guardrails:` (CONTRACT.md "Guardrails") — a map of name → guardrail: on, check and the
// check's own fields (a regex and a json_schema are compiled here, so a bad one is a problem at its
// line), action, stream, window_chars, global. Combinations no guardrail can carry out (redact on
// a check without spans, fallback on input, `after` with an action other than flag, ...) are
// problems too. `entry` may be nullptr (absent).
void LoadGuardrails(const MapEntry* entry, std::vector<GuardrailConfig>* guardrails,
                    Problems* problems);

// Every guardrail a route or a key names is defined under `guardrails:`.
void CheckGuardrailNames(const Config& config, Problems* problems);

}  // namespace switchyard::config

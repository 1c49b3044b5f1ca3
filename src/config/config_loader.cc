// Loading a config: tokenize `${...}`, parse the YAML, resolve the environment, then read each
// section into Config. Sections are read in dependency order, not file order, so that per-provider
// deadlines start from the top-level limits and routes see every provider wherever they are
// written.
#include "config/config_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "config/config_sections.h"
#include "config/env_interpolation.h"
#include "config/size_parse.h"
#include "config/yaml_reader.h"

namespace switchyard::config {
namespace {

constexpr std::int64_t kMaxThreads = 256;
constexpr std::int64_t kMaxGraceMillis = 3'600'000;
constexpr std::int64_t kMaxInlineRouteTargets = 1'000;
constexpr std::int64_t kMaxRouteDepth = 64;
constexpr std::int64_t kMaxConnections = 10'000'000;
constexpr std::int64_t kMaxLedgerFlushMillis = 60'000;
constexpr std::int64_t kMaxLedgerQueued = 10'000'000;  // ~10 GB of records at worst
constexpr std::int64_t kMaxParallelAttempts = 64;

// The caps on routes (config.h RouteLimits), read with the other limits.
void LoadRouteLimits(const MapReader& limits, RouteLimits* routes) {
  if (auto targets = limits.Integer("max_inline_route_targets", 1, kMaxInlineRouteTargets)) {
    routes->max_inline_targets = static_cast<int>(*targets);
  }
  if (auto depth = limits.Integer("max_route_depth", 1, kMaxRouteDepth)) {
    routes->max_depth = static_cast<int>(*depth);
  }
}

void LoadConnectionLimits(const MapReader& limits, http::ClientLimits* client) {
  if (auto size = limits.ByteSize("max_pipelined")) client->max_pipelined = *size;
  limits.ReadDuration("linger_ms", &client->linger);
  if (auto size = limits.ByteSize("linger_bytes")) client->linger_bytes = *size;
  // 0 says "the default" (80% of the fd limit, set at start-up), as absence does.
  if (auto count = limits.Integer("max_connections", 0, kMaxConnections)) {
    client->max_connections = static_cast<std::uint64_t>(*count);
  }
  if (auto count = limits.Integer("max_connections_per_client", 0, kMaxConnections)) {
    client->max_connections_per_client = static_cast<std::uint64_t>(*count);
  }
}

void LoadLimits(const MapReader& top, Config* config) {
  MapReader limits = top.Child(
      "limits", {"max_body", "max_header", "connect_ms", "first_byte_ms", "idle_ms", "total_ms",
                 "header_read_ms", "body_read_ms", "keepalive_ms", "max_pipelined", "linger_ms",
                 "linger_bytes", "max_connections", "max_connections_per_client",
                 "max_inline_route_targets", "max_route_depth", "max_response_body"});
  if (auto size = limits.ByteSize("max_body")) config->client.max_body = *size;
  if (auto size = limits.ByteSize("max_header")) config->client.max_header = *size;
  if (auto size = limits.ByteSize("max_response_body")) config->max_response_body = *size;
  limits.ReadDuration("connect_ms", &config->deadlines.connect);
  limits.ReadDuration("first_byte_ms", &config->deadlines.first_byte);
  limits.ReadDuration("idle_ms", &config->deadlines.idle);
  limits.ReadDuration("total_ms", &config->deadlines.total);
  limits.ReadDuration("header_read_ms", &config->client.header_read);
  limits.ReadDuration("body_read_ms", &config->client.body_read);
  limits.ReadDuration("keepalive_ms", &config->client.keepalive_idle);
  LoadRouteLimits(limits, &config->route_limits);
  LoadConnectionLimits(limits, &config->client);
}

void LoadLedger(const MapReader& top, LedgerConfig* ledger) {
  MapReader reader = top.Child("ledger", {"backend", "path", "url", "durability", "flush_ms",
                                          "max_queued"});
  if (auto backend = reader.OneOf("backend", {"sqlite", "postgres"})) ledger->backend = *backend;
  if (auto path = reader.String("path")) {
    if (path->empty()) {
      reader.Report(reader.Find("path")->line, "ledger.path must not be empty");
    } else {
      ledger->path = std::move(*path);
    }
  }
  std::optional<Secret> url = reader.SecretValue("url");
  if (url) ledger->url = std::move(*url);
  bool url_reported = !reader.Missing("url") && !url;  // a bad url was already reported
  if (ledger->backend == "postgres" && ledger->url.empty() && !url_reported) {
    reader.Report(reader.line(), "ledger backend postgres needs a url");
  }
  if (auto durability = reader.OneOf("durability", {"batch", "strict"})) {
    ledger->durability =
        *durability == "strict" ? LedgerDurability::kStrict : LedgerDurability::kBatch;
  }
  // The batch window is also the crash bound of `batch`: a minute is already more than any ledger
  // should risk.
  if (auto flush = reader.Integer("flush_ms", 1, kMaxLedgerFlushMillis)) {
    ledger->flush_ms = Millis(*flush);
  }
  if (auto queued = reader.Integer("max_queued", 1, kMaxLedgerQueued)) ledger->max_queued = *queued;
}

// Sections of the contract that this version does not serve are refused rather than accepted and
// ignored: a config that asks for a cache must not run as if it had one (README, "Not yet").
void RefuseUnbuiltSections(const MapReader& top) {
  static constexpr std::pair<std::string_view, std::string_view> kUnbuilt[] = {
      {"fetch_image_urls",
       "fetching image URLs is not in this version: remove `fetch_image_urls:` (an image URL for a "
       "provider that takes only inline data is a 400 naming the field)"},
  };
  for (const auto& [key, message] : kUnbuilt) {
    if (const MapEntry* entry = top.Find(key)) top.Report(entry->line, std::string(message));
  }
}

void LoadHealth(const MapReader& top, HealthConfig* health) {
  MapReader reader = top.Child("health", {"enabled", "failures", "error_rate_percent", "min_calls",
                                          "window_ms", "cool_off_ms"});
  if (auto enabled = reader.OneOf("enabled", {"true", "false"})) health->enabled = *enabled == "true";
  if (auto failures = reader.Integer("failures", 1, 1'000'000)) {
    health->failures = static_cast<int>(*failures);
  }
  if (auto rate = reader.Integer("error_rate_percent", 1, 100)) {
    health->error_rate_percent = static_cast<int>(*rate);
  }
  if (auto calls = reader.Integer("min_calls", 1, 1'000'000)) {
    health->min_calls = static_cast<int>(*calls);
  }
  reader.ReadDuration("window_ms", &health->window);
  reader.ReadDuration("cool_off_ms", &health->cool_off);
}

// `routing:` — read before routes, whose `max_parallel` it caps.
void LoadRouting(const MapReader& top, RoutingConfig* routing) {
  MapReader reader = top.Child("routing", {"max_parallel_attempts"});
  if (auto attempts = reader.Integer("max_parallel_attempts", 1, kMaxParallelAttempts)) {
    routing->max_parallel_attempts = static_cast<int>(*attempts);
  }
}

void LoadServerSettings(const MapReader& top, Config* config) {
  if (auto listen = top.String("listen")) {
    if (!ParseListenAddress(*listen, &config->listen_host, &config->listen_port)) {
      top.Report(top.Find("listen")->line,
                 fmt::format("listen must be HOST:PORT such as 127.0.0.1:8080 or [::1]:8080 "
                             "(got '{}')",
                             *listen));
    }
  }
  if (auto threads = top.Integer("threads", 1, kMaxThreads)) {
    config->threads = static_cast<int>(*threads);
  }
  if (auto admin_key = top.SecretValue("admin_key")) config->admin_key = std::move(*admin_key);
  if (auto access_log = top.String("access_log")) {
    if (access_log->empty()) {
      top.Report(top.Find("access_log")->line,
                 "access_log must be stdout, stderr, off or a file path");
    } else {
      config->access_log = std::move(*access_log);
    }
  }
  if (auto level = top.OneOf("log_level", {"trace", "debug", "info", "warn", "error"})) {
    config->log_level = *level;
  }
  if (auto grace = top.Integer("shutdown_grace_ms", 0, kMaxGraceMillis)) {
    config->shutdown_grace = Millis(*grace);
  }
}

void LoadTopLevel(const YAML::Node& root, Config* config, Problems* problems) {
  MapReader top(root, "", 1,
                {"listen", "threads", "admin_key", "access_log", "log_level", "shutdown_grace_ms",
                 "limits", "providers", "keys", "routes", "ledger", "cache", "fetch_image_urls",
                 "prices", "health", "routing", "governance", "state", "guardrails",
                 "experiments"},
                problems);
  LoadServerSettings(top, config);
  LoadLimits(top, config);  // before providers: their deadlines start from these
  LoadLedger(top, &config->ledger);
  RefuseUnbuiltSections(top);
  LoadHealth(top, &config->health);
  LoadProviders(top.Find("providers"), config->deadlines, config->max_response_body,
                &config->providers, problems);
  LoadKeys(top.Find("keys"), &config->keys, problems);
  LoadGovernance(top, &config->governance, problems);
  LoadState(top, &config->state);
  LoadCache(top, &config->cache);
  LoadRouting(top, &config->routing);  // before routes: it caps their max_parallel
  top.Child("experiments", {"refresh_ms"}).ReadDuration("refresh_ms", &config->experiment_refresh);
  LoadRoutes(top.Find("routes"), config->providers, config->route_limits, config->routing,
             &config->routes, problems);
  LoadPrices(top.Find("prices"), config->providers, &config->prices, problems);
  LoadGuardrails(top.Find("guardrails"), &config->guardrails, problems);
  CheckGuardrailNames(*config, problems);
}

bool IsAllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadResult LoadConfigText(std::string_view yaml, std::string_view source_name,
                          const EnvLookup& env) {
  LoadResult result;
  TokenizedText tokenized = TokenizeEnvReferences(yaml);
  YAML::Node root;
  try {
    root = YAML::Load(tokenized.text);
  } catch (const YAML::Exception& error) {
    // yaml-cpp's messages name the construct, never the text, so they cannot leak a secret.
    int line = error.mark.line < 0 ? 0 : error.mark.line + 1;
    result.problems.push_back(
        {line, fmt::format("{} is not valid YAML: {}", source_name, error.msg)});
    return result;
  }
  ResolveEnvTokensInTree(root, tokenized.references, env, &result.problems);
  Config config = DefaultConfig();
  if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
    result.problems.push_back(
        {LineOf(root), fmt::format("the top level of {} must be a map", source_name)});
  } else {
    LoadTopLevel(root, &config, &result.problems);
  }
  // Reading order is not file order; users read problems top to bottom.
  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; });
  if (result.problems.empty()) {
    result.warnings = ExperimentWarnings(config);
    result.config = std::move(config);
  }
  return result;
}

LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  std::string text;
  int error = file == nullptr ? errno : 0;
  if (file != nullptr) {
    char buffer[64 * 1024];
    std::size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, read);
    if (std::ferror(file)) error = errno != 0 ? errno : EIO;
    std::fclose(file);
  }
  if (error != 0) {
    LoadResult result;
    result.problems.push_back(
        {0, fmt::format("cannot read config file {}: {}", path, std::strerror(error))});
    return result;
  }
  return LoadConfigText(text, path, env);
}

Config DefaultConfig() { return Config{}; }

bool ParseListenAddress(std::string_view text, std::string* host, std::uint16_t* port) {
  std::string_view host_part;
  std::string_view port_part;
  if (text.starts_with('[')) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    if (text.substr(close + 1, 1) != ":") return false;
    host_part = text.substr(1, close - 1);
    port_part = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    host_part = text.substr(0, colon);
    port_part = text.substr(colon + 1);
    // An unbracketed IPv6 address is ambiguous ("::1:80"); it must be written [::1]:80.
    if (host_part.find(':') != std::string_view::npos) return false;
  }
  if (host_part.find_first_of(" \t[]/") != std::string_view::npos) return false;
  if (!IsAllDigits(port_part) || port_part.size() > 5) return false;
  std::optional<std::int64_t> number = ParseInteger(port_part);
  if (!number || *number > 65535) return false;
  *host = std::string(host_part);
  *port = static_cast<std::uint16_t>(*number);
  return true;
}

}  // namespace switchyard::config

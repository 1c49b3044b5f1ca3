// Loading `routes:`: each route's shape first, then its targets against the configured providers
// and the other routes (in any order), then cycles between routes. Inline routes (the
// x-switchyard-route header, config/inline_route.h) go through the same shape and target checks.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <map>

#include "config/config_sections.h"
#include "config/env_interpolation.h"
#include "config/inline_route.h"
#include "config/params_json.h"
#include "config/size_parse.h"

namespace switchyard::config {
namespace {

constexpr double kMaxWeight = 1'000'000;
constexpr int kMaxAttempts = 10;
// race and hedge: with one target there is nothing to race (that route is `single`).
constexpr std::size_t kMinParallelTargets = 2;
// `max_cost_usd`: far above any one call's worst case, low enough that sums of it cannot overflow.
constexpr std::int64_t kMaxCostWholeDollars = 1'000'000;
constexpr std::int64_t kMaxHedgeDelayMillis = 600'000;  // `delay_ms`: 10 minutes
// A hedge with only `delay: pNN` waits this long while its target has too few latency samples for
// the quantile (README, "Routes").
constexpr Millis kDefaultHedgeDelay{500};

struct DelayQuantile {
  std::string_view name;
  double quantile;
};
constexpr std::array<DelayQuantile, 5> kDelayQuantiles = {
    {{"p50", 0.50}, {"p75", 0.75}, {"p90", 0.90}, {"p95", 0.95}, {"p99", 0.99}}};

// The strategies that run targets side by side, and so take caps and an accept check.
bool IsParallel(std::string_view strategy) { return strategy == "race" || strategy == "hedge"; }

// Keys a route may have: those of every strategy (each strategy's own keys are reported at their
// line on a route of another strategy).
constexpr std::array<std::string_view, 16> kRouteKeys = {
    "strategy", "targets",      "retry",        "sticky",   "conditions", "default",
    "accept",   "max_parallel", "max_cost_usd", "delay_ms", "delay",      "cache",
    "guardrails", "variants",   "judge",        "promote"};

// `when:` keys of a conditional rule whose values are true or false.
constexpr std::array<std::string_view, 3> kFlagConditions = {"has_tools", "has_images", "stream"};

// A loadbalance weight: any positive number up to kMaxWeight — a share, split by proportion, so
// Portkey's and LiteLLM's 0.7 / 0.3 mean what 7 / 3 mean. Anything else is reported at its line.
std::optional<double> ReadWeight(const MapReader& reader) {
  const MapEntry* entry = reader.Find("weight");
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  double weight = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, weight);
  if (!text.empty() && ec == std::errc() && ptr == end && std::isfinite(weight) && weight > 0 &&
      weight <= kMaxWeight) {
    return weight;
  }
  reader.Report(entry->line, fmt::format("{} must be a positive number up to {} (got '{}')",
                                         reader.Field("weight"), kMaxWeight,
                                         entry->value.IsScalar() ? text : "a map or a list"));
  return std::nullopt;
}

std::optional<RouteTarget> LoadTarget(const YAML::Node& item, const std::string& path, int line,
                                      Problems* problems) {
  RouteTarget target;
  target.line = line;
  if (item.IsScalar() && !item.Scalar().empty()) {
    target.model = item.Scalar();
    return target;
  }
  if (IsUnresolved(item)) return std::nullopt;  // already reported
  if (!item.IsMap()) {
    problems->push_back({line, path + " must be a provider/model string or a map with a model"});
    return std::nullopt;
  }
  MapReader reader(item, path, line, {"model", "weight", "params", "timeout_ms"}, problems);
  std::optional<std::string> model = reader.String("model");
  if (!model || model->empty()) {
    if (reader.Missing("model") || model) problems->push_back({line, path + " needs a model"});
    return std::nullopt;
  }
  target.model = std::move(*model);
  if (std::optional<double> weight = ReadWeight(reader)) target.weight = *weight;
  target.timeout = reader.Duration("timeout_ms");
  if (const MapEntry* params = reader.Find("params")) {
    int bad_line = params->line;
    std::optional<std::string> json =
        params->value.IsMap() ? YamlToCompactJson(params->value, &bad_line) : std::nullopt;
    if (!params->value.IsMap()) {
      problems->push_back({params->line, reader.Field("params") + " must be a map"});
    } else if (!json) {
      problems->push_back({bad_line, reader.Field("params") + " holds a value JSON cannot carry "
                                                              "(infinity or NaN)"});
    } else {
      target.params_json = std::move(*json);
    }
  }
  return target;
}

void LoadTargets(const MapReader& reader, RouteConfig* route, Problems* problems) {
  const MapEntry* targets = reader.Find("targets");
  if (targets == nullptr || !targets->value.IsSequence() || targets->value.size() == 0) {
    int line = targets != nullptr ? targets->line : reader.line();
    problems->push_back(
        {line, fmt::format("route '{}' needs a non-empty list of targets", route->name)});
    return;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : targets->value) {
    int line = LineOf(item) != 0 ? LineOf(item) : targets->line;
    std::string path = fmt::format("{}[{}]", reader.Field("targets"), index++);
    if (std::optional<RouteTarget> target = LoadTarget(item, path, line, problems)) {
      route->targets.push_back(std::move(*target));
    }
  }
}

void LoadRetry(const MapReader& route_reader, RetryPolicy* retry, Problems* problems) {
  MapReader reader = route_reader.Child("retry", {"attempts", "on", "deadline_ms"});
  if (auto attempts = reader.Integer("attempts", 1, kMaxAttempts)) {
    retry->attempts = static_cast<int>(*attempts);
  }
  retry->deadline = reader.Duration("deadline_ms");
  const MapEntry* on = reader.Find("on");
  if (on == nullptr) return;
  if (!on->value.IsSequence()) {
    problems->push_back({on->line, reader.Field("on") + " must be a list of HTTP status codes"});
    return;
  }
  retry->on_status.clear();
  for (const YAML::Node& item : on->value) {
    std::optional<std::int64_t> status =
        item.IsScalar() ? ParseInteger(item.Scalar()) : std::nullopt;
    if (status && *status >= 100 && *status <= 599) {
      retry->on_status.push_back(static_cast<int>(*status));
    } else {
      problems->push_back({LineOf(item) != 0 ? LineOf(item) : on->line,
                           reader.Field("on") + " must hold HTTP status codes (100 to 599)"});
    }
  }
}

// `when:` of one conditional rule. Every key is optional; the rule matches when all given hold.
void LoadWhen(const MapReader& rule_reader, RouteCondition* rule, Problems* problems) {
  const MapEntry* when = rule_reader.Find("when");
  if (when == nullptr) {
    if (rule_reader.Missing("when")) {
      problems->push_back({rule_reader.line(), rule_reader.path() + " needs a when"});
    }
    return;
  }
  MapReader reader = rule_reader.Child(
      "when", {"metadata", "inbound", "model", "has_tools", "has_images", "stream",
               "min_input_tokens"});
  if (!reader.is_map()) return;  // reported
  if (const MapEntry* metadata = reader.Find("metadata")) {
    for (const MapEntry& item :
         ReadMapEntries(metadata->value, reader.Field("metadata"), metadata->line, problems)) {
      if (item.value.IsScalar()) {
        rule->metadata[item.key] = item.value.Scalar();
      } else if (!IsUnresolved(item.value)) {
        problems->push_back({item.line, FieldName(reader.Field("metadata"), item.key) +
                                            " must be a string, number or boolean"});
      }
    }
  }
  rule->inbound = reader.OneOf("inbound", {"openai", "anthropic"});
  rule->model = reader.String("model");
  for (std::string_view key : kFlagConditions) {
    std::optional<std::string> flag = reader.OneOf(key, {"true", "false"});
    if (!flag) continue;
    std::optional<bool>& out = key == "has_tools"    ? rule->has_tools
                               : key == "has_images" ? rule->has_images
                                                     : rule->stream;
    out = *flag == "true";
  }
  rule->min_input_tokens = reader.Integer("min_input_tokens", 1, 1'000'000'000);
}

// A conditional route's rules and default. Their targets are appended to route->targets (each
// rule's, then the default), which is where the later checks and the resolver find them.
void LoadConditional(const MapReader& reader, RouteConfig* route, Problems* problems) {
  if (const MapEntry* targets = reader.Find("targets")) {
    problems->push_back({targets->line, fmt::format("route '{}' uses strategy conditional, which "
                                                    "takes its targets from conditions and "
                                                    "default, not from targets",
                                                    route->name)});
  }
  const MapEntry* conditions = reader.Find("conditions");
  if (conditions == nullptr || !conditions->value.IsSequence() || conditions->value.size() == 0) {
    int line = conditions != nullptr ? conditions->line : reader.line();
    problems->push_back({line, fmt::format("route '{}' uses strategy conditional and needs a "
                                           "non-empty list of conditions",
                                           route->name)});
  } else {
    std::size_t index = 0;
    for (const YAML::Node& item : conditions->value) {
      const int line = LineOf(item) != 0 ? LineOf(item) : conditions->line;
      const std::string path = fmt::format("{}[{}]", reader.Field("conditions"), index++);
      if (IsUnresolved(item)) continue;  // already reported
      if (!item.IsMap()) {
        problems->push_back({line, path + " must be a map with when and target"});
        continue;
      }
      MapReader rule_reader(item, path, line, {"when", "target"}, problems);
      RouteCondition rule;
      rule.line = line;
      LoadWhen(rule_reader, &rule, problems);
      const MapEntry* target = rule_reader.Find("target");
      if (target == nullptr) {
        if (rule_reader.Missing("target")) problems->push_back({line, path + " needs a target"});
        continue;
      }
      const int target_line = LineOf(target->value) != 0 ? LineOf(target->value) : target->line;
      if (auto loaded = LoadTarget(target->value, path + ".target", target_line, problems)) {
        rule.target = route->targets.size();
        route->targets.push_back(std::move(*loaded));
        route->conditions.push_back(std::move(rule));
      }
    }
  }
  const MapEntry* fallback = reader.Find("default");
  if (fallback == nullptr) {
    if (reader.Missing("default")) {
      problems->push_back({reader.line(), fmt::format("route '{}' uses strategy conditional and "
                                                      "needs a default target",
                                                      route->name)});
    }
    return;
  }
  const int line = LineOf(fallback->value) != 0 ? LineOf(fallback->value) : fallback->line;
  if (auto loaded = LoadTarget(fallback->value, reader.Field("default"), line, problems)) {
    route->default_target = route->targets.size();
    route->targets.push_back(std::move(*loaded));
  }
}

// Reports each of `keys` that the route sets at its line: they belong to other strategies.
void ReportKeysOfOtherStrategies(const MapReader& reader,
                                 std::initializer_list<std::string_view> keys,
                                 std::string_view strategies, Problems* problems) {
  for (std::string_view key : keys) {
    if (const MapEntry* entry = reader.Find(key)) {
      problems->push_back(
          {entry->line, fmt::format("{} is only for strategy {}", reader.Field(key), strategies)});
    }
  }
}

// `max_parallel`: 1 up to the gateway-wide cap, which the message names, since that is where the
// bound comes from.
std::optional<int> ReadMaxParallel(const MapReader& reader, const RoutingConfig& routing) {
  const MapEntry* entry = reader.Find("max_parallel");
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  const std::optional<std::int64_t> value = ParseInteger(text);
  if (value && *value >= 1 && *value <= routing.max_parallel_attempts) {
    return static_cast<int>(*value);
  }
  reader.Report(entry->line,
                fmt::format("{} must be an integer from 1 to {}, routing.max_parallel_attempts "
                            "(got '{}')",
                            reader.Field("max_parallel"), routing.max_parallel_attempts,
                            entry->value.IsScalar() ? text : "a map or a list"));
  return std::nullopt;
}

// `max_cost_usd`: exact, as prices are (never through a double), into nano-dollars.
std::optional<std::int64_t> ReadMaxCost(const MapReader& reader) {
  const MapEntry* entry = reader.Find("max_cost_usd");
  if (entry == nullptr) return std::nullopt;
  const std::string text = entry->value.IsScalar() ? entry->value.Scalar() : std::string();
  const std::optional<std::int64_t> nanos = ParseUsdNanos(text, kMaxCostWholeDollars);
  if (nanos && *nanos > 0) return nanos;
  reader.Report(entry->line, fmt::format("{} must be a positive amount of USD with at most 9 "
                                         "decimals, up to {} (got '{}')",
                                         reader.Field("max_cost_usd"), kMaxCostWholeDollars,
                                         entry->value.IsScalar() ? text : "a map or a list"));
  return std::nullopt;
}

// `delay_ms` and/or `delay` of a hedge route; at least one is required.
void LoadHedgeDelay(const MapReader& reader, RouteConfig* route, Problems* problems) {
  if (reader.Missing("delay_ms") && reader.Missing("delay")) {
    problems->push_back({reader.line(), fmt::format("route '{}' uses strategy hedge and needs "
                                                    "delay_ms or delay (p50, p75, p90, p95, p99)",
                                                    route->name)});
    return;
  }
  const std::optional<std::int64_t> fixed = reader.Integer("delay_ms", 0, kMaxHedgeDelayMillis);
  if (fixed) route->hedge.fixed = Millis(*fixed);
  const std::optional<std::string> delay =
      reader.OneOf("delay", {"p50", "p75", "p90", "p95", "p99"});
  if (!delay) return;
  for (const DelayQuantile& candidate : kDelayQuantiles) {
    if (candidate.name == *delay) route->hedge.quantile = candidate.quantile;
  }
  if (reader.Missing("delay_ms")) route->hedge.fixed = kDefaultHedgeDelay;
}

// The keys of a race or hedge route: at least two targets, the caps, the hedge's delay, `accept`.
void LoadParallel(MapReader& reader, const RoutingConfig& routing, RouteConfig* route,
                  Problems* problems) {
  // Count the targets as written: one that was bad has been reported already.
  const MapEntry* targets = reader.Find("targets");
  const std::size_t written =
      targets != nullptr && targets->value.IsSequence() ? targets->value.size() : 0;
  if (written > 0 && written < kMinParallelTargets) {
    problems->push_back(
        {targets->line, fmt::format("route '{}' uses strategy {}, which needs at "
                                    "least {} targets (it has {})",
                                    route->name, route->strategy, kMinParallelTargets, written)});
  }
  route->max_parallel = ReadMaxParallel(reader, routing);
  route->max_cost_nanos = ReadMaxCost(reader);
  if (route->strategy == "hedge") LoadHedgeDelay(reader, route, problems);
  LoadAccept(reader, &route->accept, problems);
}

// Reads the route's own shape; its targets are checked once every route is known. `path` names the
// route's map in messages ("routes.NAME", or the header of an inline route).
RouteConfig LoadRoute(const MapEntry& entry, const std::string& path, const RoutingConfig& routing,
                      Problems* problems) {
  RouteConfig route;
  route.name = entry.key;
  route.line = entry.line;
  if (route.name.empty() || route.name.find('/') != std::string::npos) {
    problems->push_back({entry.line, fmt::format("route name '{}' must be non-empty and must not "
                                                 "contain '/'",
                                                 route.name)});
  }
  MapReader reader(entry.value, path, entry.line, kRouteKeys, problems);
  if (!reader.is_map()) return route;
  // Every strategy of CONTRACT.md (routing/strategies.cc registers the same names).
  std::optional<std::string> strategy =
      reader.OneOf("strategy", {"single", "fallback", "loadbalance", "cheapest", "fastest",
                                "conditional", "race", "hedge", "ab"});
  if (strategy == "conditional") {
    LoadConditional(reader, &route, problems);
  } else if (strategy == "ab") {
    ReportKeysOfOtherStrategies(reader, {"conditions", "default"}, "conditional", problems);
    if (const MapEntry* targets = reader.Find("targets")) {
      problems->push_back({targets->line, fmt::format("{} is not for strategy ab, whose route "
                                                      "lists variants instead",
                                                      reader.Field("targets"))});
    }
    LoadExperiment(reader, &route, problems);
  } else {
    ReportKeysOfOtherStrategies(reader, {"conditions", "default"}, "conditional", problems);
    LoadTargets(reader, &route, problems);
  }
  LoadRetry(reader, &route.retry, problems);
  LoadRouteCache(reader, &route.cache);
  if (auto guardrails = reader.StringList("guardrails")) route.guardrails = std::move(*guardrails);
  if (auto sticky = reader.String("sticky")) route.sticky = std::move(*sticky);
  // Without a strategy, one target is `single` and a list is tried in order.
  route.strategy = strategy.value_or(route.targets.size() > 1 ? "fallback" : "single");
  if (route.strategy == "single" && route.targets.size() > 1) {
    problems->push_back({route.line, fmt::format("route '{}' uses strategy single, which takes "
                                                 "exactly one target (it has {})",
                                                 route.name, route.targets.size())});
  }
  if (IsParallel(route.strategy)) {
    LoadParallel(reader, routing, &route, problems);
  } else {
    ReportKeysOfOtherStrategies(reader, {"accept", "max_parallel", "max_cost_usd"}, "race or hedge",
                                problems);
  }
  if (route.strategy != "hedge") {
    ReportKeysOfOtherStrategies(reader, {"delay_ms", "delay"}, "hedge", problems);
  }
  if (route.strategy != "ab") {
    ReportKeysOfOtherStrategies(reader, {"variants", "judge", "promote"}, "ab", problems);
  }
  return route;
}

void CheckTarget(const RouteTarget& target, const RouteConfig& route,
                 const std::vector<ProviderConfig>& providers,
                 const std::vector<RouteConfig>& routes, Problems* problems) {
  std::size_t slash = target.model.find('/');
  if (slash == std::string::npos) {
    for (const RouteConfig& other : routes) {
      if (other.name == target.model) return;
    }
    problems->push_back({target.line, fmt::format("target '{}' of route '{}' is neither "
                                                  "provider/model nor the name of a route",
                                                  target.model, route.name)});
    return;
  }
  std::string_view provider = std::string_view(target.model).substr(0, slash);
  if (provider.empty() || slash + 1 == target.model.size()) {
    problems->push_back({target.line, fmt::format("target '{}' of route '{}' must be "
                                                  "provider/model with both parts non-empty",
                                                  target.model, route.name)});
    return;
  }
  for (const ProviderConfig& configured : providers) {
    if (configured.name == provider) return;
  }
  problems->push_back({target.line, fmt::format("target '{}' of route '{}' names provider '{}', "
                                                "which is not configured under providers",
                                                target.model, route.name, provider)});
}

// An `ab` route keeps its results under its own name, and a call's variant is decided for the
// route it names: it cannot be one step of another route.
void CheckNotExperiment(const RouteTarget& target, const RouteConfig& route,
                        const std::vector<RouteConfig>& routes, Problems* problems) {
  const RouteConfig* inner = nullptr;
  for (const RouteConfig& other : routes) {
    if (other.name == target.model) inner = &other;
  }
  if (inner == nullptr || inner->strategy != "ab") return;
  problems->push_back({target.line, fmt::format("route '{}' names the ab route '{}' as a target; "
                                                "an experiment is called by its own name only",
                                                route.name, target.model)});
}

// The judge is called like any target: a configured provider's model, or a route.
void CheckJudgeModel(const ExperimentJudge& judge, const RouteConfig& route,
                     const std::vector<ProviderConfig>& providers,
                     const std::vector<RouteConfig>& routes, Problems* problems) {
  RouteTarget target;
  target.model = judge.model;
  target.line = judge.line;
  Problems found;
  CheckTarget(target, route, providers, routes, &found);
  for (const RouteConfig& other : routes) {
    if (other.name == judge.model && other.strategy == "ab") {
      found.push_back({judge.line, "an ab route"});
    }
  }
  if (found.empty()) return;
  problems->push_back({judge.line, fmt::format("the judge '{}' of route '{}' must be a "
                                               "provider/model of a configured provider or a "
                                               "route other than an ab route",
                                               judge.model, route.name)});
}

// Depth-first search over route → route edges; each back edge closes one cycle, reported once at
// the line of the route where the cycle starts.
void ReportCycles(const std::vector<RouteConfig>& routes, Problems* problems) {
  auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < routes.size(); ++i) {
      if (routes[i].name == name) return i;
    }
    return std::nullopt;
  };
  enum class State { kNew, kOnPath, kDone };
  std::vector<State> state(routes.size(), State::kNew);
  std::vector<std::size_t> path;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    state[i] = State::kOnPath;
    path.push_back(i);
    for (const RouteTarget& target : routes[i].targets) {
      std::optional<std::size_t> next = index_of(target.model);
      if (!next) continue;
      if (state[*next] == State::kNew) {
        visit(*next);
      } else if (state[*next] == State::kOnPath) {
        std::string chain;
        auto start = std::find(path.begin(), path.end(), *next);
        for (auto it = start; it != path.end(); ++it) chain += routes[*it].name + " -> ";
        chain += routes[*next].name;
        problems->push_back({routes[*next].line, fmt::format("routes form a cycle: {}", chain)});
      }
    }
    path.pop_back();
    state[i] = State::kDone;
  };
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (state[i] == State::kNew) visit(i);
  }
}

const RouteConfig* FindIn(const std::vector<RouteConfig>& routes, std::string_view name) {
  for (const RouteConfig& route : routes) {
    if (route.name == name) return &route;
  }
  return nullptr;
}

// The deepest chain of routes from `route` down, its own name first: just its name when its
// targets are all provider/model. The chains of configured routes (those in `routes`) are kept in
// `known`, so that a route reached along many paths is measured once.
// REQUIRES: no cycles through `route` (ReportCycles found none).
using Chains = std::map<std::string, std::vector<std::string>, std::less<>>;
std::vector<std::string> DeepestChain(const RouteConfig& route,
                                      const std::vector<RouteConfig>& routes, Chains* known) {
  if (auto it = known->find(route.name); it != known->end()) return it->second;
  std::vector<std::string> deepest;
  for (const RouteTarget& target : route.targets) {
    const RouteConfig* inner = FindIn(routes, target.model);
    if (inner == nullptr) continue;
    std::vector<std::string> chain = DeepestChain(*inner, routes, known);
    if (chain.size() > deepest.size()) deepest = std::move(chain);
  }
  deepest.insert(deepest.begin(), route.name);
  if (FindIn(routes, route.name) == &route) (*known)[route.name] = deepest;
  return deepest;
}

std::string JoinChain(const std::vector<std::string>& chain) {
  std::string joined;
  for (const std::string& name : chain) {
    if (!joined.empty()) joined += " -> ";
    joined += name;
  }
  return joined;
}

// A route nested deeper than the limit, as a message; empty when it is within it.
std::string DepthProblem(const RouteConfig& route, const std::vector<RouteConfig>& routes,
                         const RouteLimits& limits) {
  Chains known;
  const std::vector<std::string> chain = DeepestChain(route, routes, &known);
  const int depth = static_cast<int>(chain.size());
  if (depth <= limits.max_depth) return {};
  return fmt::format("route '{}' nests routes {} deep ({}); limits.max_route_depth is {}",
                     route.name, depth, JoinChain(chain), limits.max_depth);
}

}  // namespace

void LoadRoutes(const MapEntry* entry, const std::vector<ProviderConfig>& providers,
                const RouteLimits& limits, const RoutingConfig& routing,
                std::vector<RouteConfig>* routes, Problems* problems) {
  if (entry == nullptr) return;
  for (const MapEntry& route : ReadMapEntries(entry->value, "routes", entry->line, problems)) {
    routes->push_back(LoadRoute(route, "routes." + route.key, routing, problems));
  }
  for (const RouteConfig& route : *routes) {
    for (const RouteTarget& target : route.targets) {
      CheckTarget(target, route, providers, *routes, problems);
      CheckNotExperiment(target, route, *routes, problems);
    }
    if (route.experiment && route.experiment->judge) {
      CheckJudgeModel(*route.experiment->judge, route, providers, *routes, problems);
    }
  }
  const std::size_t problems_before = problems->size();
  ReportCycles(*routes, problems);
  if (problems->size() != problems_before) return;  // depth is not defined around a cycle
  for (const RouteConfig& route : *routes) {
    if (std::string problem = DepthProblem(route, *routes, limits); !problem.empty()) {
      problems->push_back({route.line, std::move(problem)});
    }
  }
}

Result<RouteConfig> ParseInlineRoute(std::string_view text, const Config& config) {
  auto invalid = [](std::string message) {
    return Error::InvalidRequest(fmt::format("{}: {}", kInlineRouteHeader, message),
                                 std::string(kInlineRouteHeader));
  };
  YAML::Node node;
  try {
    // No `${VAR}` interpolation: the text comes from a client, not from the operator.
    node = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return invalid(fmt::format("not valid JSON ({})", error.msg));
  }
  if (!node.IsMap()) return invalid("must be a route name or a JSON object");
  Problems problems;
  RouteConfig route = LoadRoute(MapEntry{std::string(kInlineRouteName), node, 1},
                                std::string(kInlineRouteHeader), config.routing, &problems);
  if (route.strategy == "ab") {
    // Its results would live under no name that the admin API could read.
    return invalid("an ab route must be defined in the config (its results are kept under its "
                   "name); name it instead");
  }
  const RouteLimits& limits = config.route_limits;
  const auto max_targets = static_cast<std::size_t>(limits.max_inline_targets);
  if (problems.empty() && route.targets.size() > max_targets) {
    // Each target may cost an upstream call: a client does not get to fan out without bound.
    return invalid(fmt::format("the inline route lists {} targets; at most {} are allowed "
                               "(limits.max_inline_route_targets)",
                               route.targets.size(), limits.max_inline_targets));
  }
  if (problems.empty()) {
    for (const RouteTarget& target : route.targets) {
      CheckTarget(target, route, config.providers, config.routes, &problems);
      CheckNotExperiment(target, route, config.routes, &problems);
    }
  }
  if (problems.empty()) {
    // The configured routes it names are acyclic and within the depth: it adds one level.
    if (std::string problem = DepthProblem(route, config.routes, limits); !problem.empty()) {
      return invalid(std::move(problem));
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const ConfigProblem& problem : problems) {
      if (!message.empty()) message += "; ";
      message += problem.message;
    }
    return invalid(std::move(message));
  }
  return route;
}

}  // namespace switchyard::config

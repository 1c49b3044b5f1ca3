// The YAML side of config/guardrail_config.h: the top-level `guardrails:` map, and the check that
// every name a route or a key attaches is defined there.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "config/config_sections.h"
#include "config/params_json.h"
#include "http/client/upstream_endpoint.h"
#include "json_schema/schema.h"
#include "regex/pattern.h"

namespace switchyard::config {
namespace {

constexpr std::string_view kCommonKeys[] = {"on", "check", "action", "stream", "window_chars",
                                            "global"};

// The fields each check takes besides the common ones.
std::vector<std::string_view> OwnKeys(std::string_view check) {
  if (check == "regex") return {"pattern", "kind"};
  if (check == "pii") return {"kinds"};
  if (check == "words") return {"words"};
  if (check == "length") return {"min_chars", "max_chars"};
  if (check == "json_schema") return {"schema"};
  if (check == "denied_params") return {"params"};
  if (check == "required_metadata") return {"keys"};
  if (check == "webhook") return {"url", "timeout_ms", "on_timeout", "headers"};
  if (check == "llm") return {"model", "rubric", "timeout_ms", "on_timeout", "max_tokens"};
  return {};
}

bool StageOnly(std::string_view check, GuardrailStage* stage) {
  if (check == "json" || check == "json_schema") {
    *stage = GuardrailStage::kOutput;
    return true;
  }
  if (check == "denied_params" || check == "required_metadata") {
    *stage = GuardrailStage::kInput;
    return true;
  }
  return false;
}

std::string PeekCheck(const YAML::Node& node) {
  if (!node.IsMap()) return {};
  const YAML::Node check = node["check"];
  return check.IsDefined() && check.IsScalar() ? check.Scalar() : std::string();
}

// A field the check cannot do without: reported at the guardrail's line when absent.
template <typename T>
void Require(const MapReader& reader, std::string_view key, const std::optional<T>& value) {
  if (!value && reader.Missing(key)) {
    reader.Report(reader.line(), fmt::format("{} needs {}", reader.path(), key));
  }
}

void LoadRegexFields(const MapReader& reader, GuardrailConfig* guardrail) {
  std::optional<std::string> pattern = reader.String("pattern");
  Require(reader, "pattern", pattern);
  if (pattern) {
    auto compiled = regex::Pattern::Compile(*pattern);
    if (!compiled) {
      reader.Report(reader.Find("pattern")->line,
                    fmt::format("{}: {}", reader.Field("pattern"), compiled.error().message));
    }
    guardrail->pattern = std::move(*pattern);
  }
  if (auto kind = reader.String("kind")) guardrail->kind = std::move(*kind);
}

void LoadPiiFields(const MapReader& reader, GuardrailConfig* guardrail) {
  static constexpr std::string_view kKinds[] = {"email", "phone",      "credit_card",
                                                "iban",  "ssn",        "ip_address"};
  std::optional<std::vector<std::string>> kinds = reader.StringList("kinds");
  if (!kinds) return;  // every kind
  for (const std::string& kind : *kinds) {
    if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
      reader.Report(reader.Find("kinds")->line,
                    fmt::format("{}: '{}' is not a PII kind (email, phone, credit_card, iban, ssn, "
                                "ip_address)",
                                reader.Field("kinds"), kind.substr(0, 40)));
    }
  }
  guardrail->kinds = std::move(*kinds);
}

void LoadSchema(const MapReader& reader, GuardrailConfig* guardrail) {
  const MapEntry* entry = reader.Find("schema");
  if (entry == nullptr) {
    reader.Report(reader.line(), fmt::format("{} needs schema", reader.path()));
    return;
  }
  int bad_line = 0;
  std::optional<std::string> json = YamlToCompactJson(entry->value, &bad_line);
  if (!json) {
    reader.Report(bad_line, fmt::format("{} holds a value JSON cannot carry", reader.Field("schema")));
    return;
  }
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(*json, error);
  auto compiled = error ? Result<json_schema::Schema>(Error::Config("not JSON"))
                        : json_schema::Schema::Compile(parsed);
  if (!compiled) {
    reader.Report(entry->line,
                  fmt::format("{}: {}", reader.Field("schema"), compiled.error().message));
  }
  guardrail->schema_json = std::move(*json);
}

void LoadWebhookFields(const MapReader& reader, GuardrailConfig* guardrail, Problems* problems) {
  std::optional<std::string> url = reader.String("url");
  Require(reader, "url", url);
  if (url) {
    if (auto endpoint = http::ParseUpstreamEndpoint(*url); !endpoint) {
      reader.Report(reader.Find("url")->line,
                    fmt::format("{}: {}", reader.Field("url"), endpoint.error().message));
    }
    guardrail->url = std::move(*url);
  }
  if (auto timeout = reader.Integer("timeout_ms", 1, kMaxWebhookTimeoutMs)) {
    guardrail->timeout_ms = *timeout;
  }
  if (auto on_timeout = reader.OneOf("on_timeout", {"allow", "deny"})) {
    guardrail->on_timeout_allow = *on_timeout == "allow";
  }
  const MapEntry* headers = reader.Find("headers");
  if (headers == nullptr) return;
  std::vector<std::string> keys;
  for (const MapEntry& entry : ReadMapEntries(headers->value, reader.Field("headers"),
                                              headers->line, problems)) {
    keys.push_back(entry.key);
  }
  const std::vector<std::string_view> names(keys.begin(), keys.end());
  // Header values may hold a token: read as secrets, never quoted in a problem.
  MapReader values(headers->value, reader.Field("headers"), headers->line, names, problems);
  for (std::string_view name : names) {
    if (auto value = values.SecretValue(name)) guardrail->headers[std::string(name)] = *value;
  }
}

// The judge model is resolved when the gateway starts (gateway/gateway_state.cc): a route or model
// the config does not know is a start-up error naming the guardrail.
void LoadLlmFields(const MapReader& reader, GuardrailConfig* guardrail) {
  std::optional<std::string> model = reader.String("model");
  Require(reader, "model", model);
  if (model) guardrail->model = std::move(*model);
  std::optional<std::string> rubric = reader.String("rubric");
  Require(reader, "rubric", rubric);
  if (rubric && rubric->size() > kMaxRubricBytes) {
    reader.Report(reader.Find("rubric")->line,
                  fmt::format("{} is {} bytes long, at most {} allowed", reader.Field("rubric"),
                              rubric->size(), kMaxRubricBytes));
  }
  if (rubric) guardrail->rubric = std::move(*rubric);
  guardrail->timeout_ms = kDefaultJudgeTimeoutMs;
  if (auto timeout = reader.Integer("timeout_ms", 1, 600'000)) guardrail->timeout_ms = *timeout;
  if (auto tokens = reader.Integer("max_tokens", 1, 4096)) guardrail->max_tokens = *tokens;
  if (auto on_timeout = reader.OneOf("on_timeout", {"allow", "deny"})) {
    guardrail->on_timeout_allow = *on_timeout == "allow";
  }
}

void LoadCheckFields(const MapReader& reader, GuardrailConfig* guardrail, Problems* problems) {
  const std::string& check = guardrail->check;
  if (check == "llm") return LoadLlmFields(reader, guardrail);
  if (check == "webhook") return LoadWebhookFields(reader, guardrail, problems);
  if (check == "regex") return LoadRegexFields(reader, guardrail);
  if (check == "pii") return LoadPiiFields(reader, guardrail);
  if (check == "json_schema") return LoadSchema(reader, guardrail);
  if (check == "words") {
    auto words = reader.StringList("words");
    Require(reader, "words", words);
    if (words) guardrail->words = std::move(*words);
  } else if (check == "length") {
    guardrail->min_chars = reader.Integer("min_chars", 0, 100'000'000);
    guardrail->max_chars = reader.Integer("max_chars", 1, 100'000'000);
    if (!guardrail->min_chars && !guardrail->max_chars) {
      reader.Report(reader.line(), fmt::format("{} needs min_chars or max_chars", reader.path()));
    }
  } else if (check == "denied_params") {
    auto params = reader.StringList("params");
    Require(reader, "params", params);
    if (params) guardrail->params = std::move(*params);
  } else if (check == "required_metadata") {
    auto keys = reader.StringList("keys");
    Require(reader, "keys", keys);
    if (keys) guardrail->keys = std::move(*keys);
  }
}

std::optional<GuardrailAction> ReadAction(const MapReader& reader) {
  auto action = reader.OneOf("action", {"deny", "redact", "flag", "fallback"});
  if (!action) return std::nullopt;
  if (*action == "deny") return GuardrailAction::kDeny;
  if (*action == "redact") return GuardrailAction::kRedact;
  if (*action == "flag") return GuardrailAction::kFlag;
  return GuardrailAction::kFallback;
}

// The stream mode: as written, else the check's default (window for span checks, hold for the
// rest), and whether the combination can work.
void ReadStream(const MapReader& reader, GuardrailConfig* guardrail) {
  const bool spans = GuardrailCheckFindsSpans(guardrail->check);
  guardrail->stream = spans ? GuardrailStream::kWindow : GuardrailStream::kHold;
  // A judge model is slow: its stream goes out as it comes when it only flags (CONTRACT.md).
  if (guardrail->check == "llm" && guardrail->action == GuardrailAction::kFlag) {
    guardrail->stream = GuardrailStream::kAfter;
  }
  if (!guardrail->on_timeout_allow && GuardrailCheckIsExternal(guardrail->check)) {
    guardrail->on_timeout_allow = guardrail->on == GuardrailStage::kOutput;  // the contract's default
  }
  auto stream = reader.OneOf("stream", {"window", "hold", "after"});
  if (auto window = reader.Integer("window_chars", kMinGuardrailWindowChars,
                                   kMaxGuardrailWindowChars)) {
    guardrail->window_chars = static_cast<int>(*window);
  }
  if (!stream) return;
  const int line = reader.Find("stream")->line;
  if (guardrail->on == GuardrailStage::kInput) {
    reader.Report(line, fmt::format("{}: an input guardrail has no stream to meet",
                                    reader.Field("stream")));
  }
  guardrail->stream = *stream == "window" ? GuardrailStream::kWindow
                      : *stream == "hold" ? GuardrailStream::kHold
                                          : GuardrailStream::kAfter;
  if (guardrail->stream == GuardrailStream::kWindow && !spans) {
    reader.Report(line, fmt::format("{}: check {} needs the whole answer: use hold or after",
                                    reader.Field("stream"), guardrail->check));
  }
  if (guardrail->stream == GuardrailStream::kAfter && guardrail->action != GuardrailAction::kFlag) {
    reader.Report(line, fmt::format("{}: after runs once the answer has gone out, so its action "
                                    "can only be flag",
                                    reader.Field("stream")));
  }
}

// The combinations no guardrail can carry out.
void CheckCombination(const MapReader& reader, const GuardrailConfig& guardrail) {
  const int line = reader.line();
  if (guardrail.action == GuardrailAction::kRedact && !GuardrailCheckCanRedact(guardrail.check)) {
    reader.Report(line, fmt::format("{}: check {} finds no text to redact: use deny, flag or "
                                    "fallback",
                                    reader.path(), guardrail.check));
  }
  if (guardrail.action == GuardrailAction::kFallback && guardrail.on == GuardrailStage::kInput) {
    reader.Report(line, fmt::format("{}: fallback moves an answer to the next target, so it is "
                                    "for on: output",
                                    reader.path()));
  }
  GuardrailStage only;
  if (StageOnly(guardrail.check, &only) && only != guardrail.on) {
    reader.Report(line, fmt::format("{}: check {} is for on: {}", reader.path(), guardrail.check,
                                    ToString(only)));
  }
}

GuardrailConfig LoadGuardrail(const MapEntry& entry, Problems* problems) {
  GuardrailConfig guardrail;
  guardrail.name = entry.key;
  guardrail.line = entry.line;
  guardrail.check = PeekCheck(entry.value);
  std::vector<std::string_view> keys(std::begin(kCommonKeys), std::end(kCommonKeys));
  for (std::string_view key : OwnKeys(guardrail.check)) keys.push_back(key);
  const std::string path = FieldName("guardrails", entry.key);
  MapReader reader(entry.value, path, entry.line, keys, problems);
  if (auto on = reader.OneOf("on", {"input", "output"})) {
    guardrail.on = *on == "input" ? GuardrailStage::kInput : GuardrailStage::kOutput;
  } else if (reader.Missing("on")) {
    reader.Report(entry.line, fmt::format("{} needs on: input or on: output", path));
  }
  std::optional<std::string> check = reader.String("check");
  const bool known = check && std::find(std::begin(kGuardrailChecks), std::end(kGuardrailChecks),
                                        *check) != std::end(kGuardrailChecks);
  if (!check && reader.Missing("check")) {
    reader.Report(entry.line, fmt::format("{} needs check", path));
  } else if (check && !known) {
    reader.Report(reader.Find("check")->line,
                  fmt::format("{}: '{}' is not a check (regex, pii, secrets, words, length, json, "
                              "json_schema, denied_params, required_metadata, webhook, llm)",
                              reader.Field("check"), check->substr(0, 40)));
  }
  if (auto action = ReadAction(reader)) {
    guardrail.action = *action;
  } else if (reader.Missing("action")) {
    reader.Report(entry.line, fmt::format("{} needs action: deny, redact, flag or fallback", path));
  }
  if (auto global = reader.OneOf("global", {"true", "false"})) guardrail.global = *global == "true";
  if (!known) return guardrail;
  LoadCheckFields(reader, &guardrail, problems);
  ReadStream(reader, &guardrail);
  CheckCombination(reader, guardrail);
  return guardrail;
}

void CheckNames(const std::vector<std::string>& names, const std::vector<GuardrailConfig>& defined,
                std::string_view owner, int line, Problems* problems) {
  for (const std::string& name : names) {
    const bool found = std::any_of(defined.begin(), defined.end(),
                                   [&](const GuardrailConfig& g) { return g.name == name; });
    if (!found) {
      AddProblem(problems, line,
                 fmt::format("{}: guardrail '{}' is not defined under guardrails:", owner,
                             name.substr(0, 80)));
    }
  }
}

}  // namespace

std::string_view ToString(GuardrailStage stage) {
  return stage == GuardrailStage::kInput ? "input" : "output";
}

std::string_view ToString(GuardrailAction action) {
  switch (action) {
    case GuardrailAction::kDeny: return "deny";
    case GuardrailAction::kRedact: return "redact";
    case GuardrailAction::kFlag: return "flag";
    case GuardrailAction::kFallback: return "fallback";
  }
  return "deny";
}

std::string_view ToString(GuardrailStream stream) {
  switch (stream) {
    case GuardrailStream::kWindow: return "window";
    case GuardrailStream::kHold: return "hold";
    case GuardrailStream::kAfter: return "after";
  }
  return "window";
}

bool GuardrailCheckFindsSpans(std::string_view check) {
  return check == "regex" || check == "pii" || check == "secrets" || check == "words";
}

bool GuardrailCheckCanRedact(std::string_view check) {
  return GuardrailCheckFindsSpans(check) || check == "webhook";
}

bool GuardrailCheckIsExternal(std::string_view check) {
  return check == "webhook" || check == "llm";
}

void LoadGuardrails(const MapEntry* entry, std::vector<GuardrailConfig>* guardrails,
                    Problems* problems) {
  if (entry == nullptr) return;
  for (const MapEntry& item : ReadMapEntries(entry->value, "guardrails", entry->line, problems)) {
    guardrails->push_back(LoadGuardrail(item, problems));
  }
}

void CheckGuardrailNames(const Config& config, Problems* problems) {
  for (const RouteConfig& route : config.routes) {
    CheckNames(route.guardrails, config.guardrails, FieldName("routes", route.name), route.line,
               problems);
  }
  for (std::size_t i = 0; i < config.keys.size(); ++i) {
    const GatewayKey& key = config.keys[i];
    CheckNames(key.policy.guardrails, config.guardrails,
               fmt::format("keys[{}] ({})", i, key.name), key.line, problems);
  }
}

}  // namespace switchyard::config

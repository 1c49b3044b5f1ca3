// Loading `providers:` and `keys:`.
#include <fmt/format.h>

#include <cctype>

#include "config/config_sections.h"
#include "hosts/host_profile.h"
#include "wire/format.h"

namespace switchyard::config {
namespace {

// Lowercase so that "provider/model" strings match without case folding.
bool IsValidProviderName(std::string_view name) {
  if (name.empty()) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) return false;
  for (char c : name) {
    if (!lower_or_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// "http(s)://host[...]" with a non-empty host; returns it without trailing slashes so that paths
// can be appended with a single '/'.
std::optional<std::string> NormalizeBaseUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return std::nullopt;
  }
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host =
      authority.starts_with('[') ? authority : authority.substr(0, authority.find(':'));
  if (host.empty() || host == "[]") return std::nullopt;
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

// Token characters of RFC 9110, so a configured header cannot break the request head.
bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

void ReadKindAndBaseUrl(const MapReader& reader, const std::string& name,
                        ProviderConfig* provider) {
  std::optional<std::string> kind = reader.OneOf("kind", {"openai", "anthropic", "gemini"});
  if (provider->profile != nullptr) {
    provider->kind = provider->profile->wire_format;
    provider->base_url = std::string(provider->profile->default_base_url);
    if (kind && wire::ParseFormat(*kind) != provider->kind) {
      reader.Report(reader.Find("kind")->line,
                    fmt::format("kind '{}' of provider '{}' does not match the known host, which "
                                "speaks {}",
                                *kind, name, wire::ToString(provider->kind)));
    }
  } else if (kind) {
    provider->kind = *wire::ParseFormat(*kind);
  } else if (reader.Missing("kind")) {
    reader.Report(reader.line(), fmt::format("provider '{}' is not a known host and needs a kind "
                                             "(openai|anthropic|gemini)",
                                             name));
  }

  if (std::optional<std::string> url = reader.String("base_url")) {
    // The URL is not quoted: it may carry credentials (https://user:pass@host).
    if (std::optional<std::string> normalized = NormalizeBaseUrl(*url)) {
      provider->base_url = std::move(*normalized);
    } else {
      reader.Report(reader.Find("base_url")->line,
                    fmt::format("base_url of provider '{}' must be an http:// or https:// URL "
                                "with a host",
                                name));
    }
  } else if (provider->profile == nullptr && reader.Missing("base_url")) {
    reader.Report(reader.line(), fmt::format("provider '{}' is not a known host and needs a "
                                             "base_url",
                                             name));
  }
}

void ReadHeaders(const MapReader& reader, ProviderConfig* provider, Problems* problems) {
  const MapEntry* headers = reader.Find("headers");
  if (headers == nullptr) return;
  std::string path = reader.Field("headers");
  for (MapEntry& header : ReadMapEntries(headers->value, path, headers->line, problems)) {
    // Header values are never quoted: they often carry tokens ("Bearer ${TOKEN}").
    if (!IsValidHeaderName(header.key)) {
      problems->push_back(
          {header.line, fmt::format("'{}' in {} is not a valid header name", header.key, path)});
    } else if (!header.value.IsScalar() && !header.value.IsNull()) {
      problems->push_back({header.line, fmt::format("{}.{} must be a string", path, header.key)});
    } else if (header.value.IsScalar() &&
               header.value.Scalar().find_first_of("\r\n") != std::string::npos) {
      problems->push_back(
          {header.line, fmt::format("{}.{} must not contain a line break", path, header.key)});
    } else {
      provider->headers[header.key] = header.value.IsScalar() ? header.value.Scalar() : "";
    }
  }
}

ProviderConfig LoadProvider(const MapEntry& entry, const http::UpstreamDeadlines& defaults,
                            std::uint64_t max_response_body, Problems* problems) {
  ProviderConfig provider;
  provider.name = entry.key;
  provider.line = entry.line;
  provider.deadlines = defaults;
  provider.max_response_body = max_response_body;
  provider.profile = hosts::FindKnownHost(entry.key);
  if (!IsValidProviderName(entry.key)) {
    problems->push_back({entry.line, fmt::format("provider name '{}' must start with a lowercase "
                                                 "letter or digit and hold only a-z, 0-9, '-' and "
                                                 "'_'",
                                                 entry.key)});
  }
  MapReader reader(entry.value, "providers." + entry.key, entry.line,
                   {"kind", "base_url", "api_key", "models", "headers", "limits"}, problems);
  if (!reader.is_map()) return provider;
  ReadKindAndBaseUrl(reader, entry.key, &provider);
  // An empty key (e.g. `${OPENAI_API_KEY:-}`) means none: calls then need a per-call key.
  if (std::optional<Secret> key = reader.SecretValue("api_key"); key && !key->empty()) {
    provider.api_key = std::move(*key);
  }
  if (auto models = reader.StringList("models")) provider.models = std::move(*models);
  ReadHeaders(reader, &provider, problems);
  MapReader limits = reader.Child(
      "limits", {"connect_ms", "first_byte_ms", "idle_ms", "total_ms", "max_response_body"});
  if (auto size = limits.ByteSize("max_response_body")) provider.max_response_body = *size;
  limits.ReadDuration("connect_ms", &provider.deadlines.connect);
  limits.ReadDuration("first_byte_ms", &provider.deadlines.first_byte);
  limits.ReadDuration("idle_ms", &provider.deadlines.idle);
  limits.ReadDuration("total_ms", &provider.deadlines.total);
  return provider;
}

std::string KeyLabel(std::size_t index, const std::string& name) {
  if (name.empty()) return fmt::format("keys[{}]", index);
  return fmt::format("keys[{}] ('{}')", index, name);
}

// Reads one `keys:` entry; returns false when it is unusable (already reported).
bool LoadKey(const YAML::Node& item, std::size_t index, int line, GatewayKey* key,
             Problems* problems) {
  std::string path = fmt::format("keys[{}]", index);
  // Unknown keys are not quoted here: a gateway key typed as a map key would otherwise be printed.
  std::vector<std::string_view> fields = {"key", "name"};
  for (std::string_view field : KeyPolicyFields()) fields.push_back(field);
  MapReader reader(item, path, line, fields, problems, KeyQuoting::kHide);
  if (!reader.is_map()) return false;
  if (item.IsNull()) {
    problems->push_back({line, fmt::format("{} is empty; write {{ key: ..., name: ... }}", path)});
    return false;
  }
  std::optional<std::string> name = reader.String("name");
  std::optional<Secret> secret = reader.SecretValue("key");
  bool good = true;
  if (!name || name->empty()) {
    if (reader.Missing("name") || name)
      problems->push_back({line, path + " needs a non-empty name"});
    good = false;
  }
  std::string label = KeyLabel(index, name.value_or(""));
  if (!secret || secret->empty()) {
    if (reader.Missing("key") || secret)
      problems->push_back({line, label + " needs a non-empty key"});
    good = false;
  }
  if (good && secret->reveal().size() < kMinGatewayKeyLength) {
    problems->push_back({line, fmt::format("{} is shorter than {} characters: a short key can be "
                                           "guessed; use a long random one",
                                           label, kMinGatewayKeyLength)});
    good = false;
  }
  if (!good) return false;
  LoadKeyPolicy(reader, &key->policy, problems);
  key->name = std::move(*name);
  key->key = std::move(*secret);
  key->line = line;
  return true;
}

void CheckUniqueKey(const std::vector<GatewayKey>& keys, const std::vector<std::size_t>& indexes,
                    const GatewayKey& key, std::size_t index, int line, Problems* problems) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].name == key.name) {
      problems->push_back({line, fmt::format("{} repeats the name of {}", KeyLabel(index, key.name),
                                             KeyLabel(indexes[i], keys[i].name))});
    }
    if (keys[i].key.reveal() == key.key.reveal()) {
      problems->push_back({line, fmt::format("{} has the same key as {}", KeyLabel(index, key.name),
                                             KeyLabel(indexes[i], keys[i].name))});
    }
  }
}

}  // namespace

void LoadProviders(const MapEntry* entry, const http::UpstreamDeadlines& defaults,
                   std::uint64_t max_response_body, std::vector<ProviderConfig>* providers,
                   Problems* problems) {
  if (entry == nullptr) return;
  for (const MapEntry& provider :
       ReadMapEntries(entry->value, "providers", entry->line, problems)) {
    providers->push_back(LoadProvider(provider, defaults, max_response_body, problems));
  }
}

void LoadKeys(const MapEntry* entry, std::vector<GatewayKey>* keys, Problems* problems) {
  if (entry == nullptr) return;
  if (!entry->value.IsSequence()) {
    AddProblem(problems, entry->line, "keys must be a list of { key, name, ... }");
    return;
  }
  std::vector<std::size_t> indexes;  // each loaded key's position in the YAML list
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    int line = LineOf(item) != 0 ? LineOf(item) : entry->line;
    GatewayKey key;
    if (LoadKey(item, index, line, &key, problems)) {
      CheckUniqueKey(*keys, indexes, key, index, line, problems);
      keys->push_back(std::move(key));
      indexes.push_back(index);
    }
    ++index;
  }
}

}  // namespace switchyard::config

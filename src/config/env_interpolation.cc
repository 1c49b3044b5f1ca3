#include "config/env_interpolation.h"

#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace switchyard::config {
namespace {

// Unlikely to be written by hand; made of characters that are plain-scalar-safe in every YAML
// context, so the token never changes how the surrounding text parses.
constexpr std::string_view kTokenPrefix = "__switchyard_env_ref_";
constexpr std::string_view kTokenSuffix = "__";
constexpr int kMaxDepth = 256;
constexpr std::string_view kUnresolvedTag =
    "!switchyard-unresolved";  // far beyond any real config; stops runaway recursion

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// `body` is the text between "${" and "}".
EnvReference ParseReference(std::string_view body, int line) {
  EnvReference reference;
  reference.line = line;
  std::size_t separator = body.find(":-");
  std::string_view name = body.substr(0, separator);
  if (separator != std::string_view::npos) {
    reference.fallback = std::string(body.substr(separator + 2));
  }
  reference.name = std::string(name);
  reference.malformed = !IsValidName(name);
  return reference;
}

// Looks for a token at the start of `text`; returns its reference index and length.
std::optional<std::pair<std::size_t, std::size_t>> MatchToken(std::string_view text) {
  if (!text.starts_with(kTokenPrefix)) return std::nullopt;
  const char* begin = text.data() + kTokenPrefix.size();
  const char* end = text.data() + text.size();
  std::size_t index = 0;
  auto [ptr, ec] = std::from_chars(begin, end, index);
  if (ec != std::errc() || ptr == begin) return std::nullopt;
  std::string_view rest(ptr, static_cast<std::size_t>(end - ptr));
  if (!rest.starts_with(kTokenSuffix)) return std::nullopt;
  return std::make_pair(index, static_cast<std::size_t>(ptr - text.data()) + kTokenSuffix.size());
}

std::string Expand(const EnvReference& reference, const EnvLookup& env,
                   std::vector<ConfigProblem>* problems) {
  if (reference.malformed) {
    // The text of the reference is not quoted: its default part may hold a secret.
    AddProblem(problems, reference.line,
               "malformed environment reference; write ${NAME} or ${NAME:-default}");
    return {};
  }
  std::optional<std::string> value = env(reference.name);
  if (value && !value->empty()) return *value;
  if (reference.fallback) return *reference.fallback;
  if (value) return {};  // set but empty, and no default: empty is what the user exported
  problems->push_back(
      {reference.line, fmt::format("environment variable {} is not set", reference.name)});
  return {};
}

void ResolveNode(YAML::Node node, bool is_key, const std::vector<EnvReference>& references,
                 const EnvLookup& env, std::vector<ConfigProblem>* problems, int depth) {
  if (depth > kMaxDepth) return;
  if (node.IsScalar()) {
    const std::string& scalar = node.Scalar();
    if (scalar.find(kTokenPrefix) == std::string::npos) return;
    std::size_t problems_before = problems->size();
    std::string resolved = ResolveEnvTokens(scalar, references, env, problems);
    if (problems->size() != problems_before && !is_key) {
      // A value that could not be resolved reads as absent, so that the variable's problem is
      // not followed by a second one about the half-expanded value.
      node = YAML::Null;
      node.SetTag(std::string(kUnresolvedTag));
    } else {
      // Assigning a string keeps the node's mark and tag, so line numbers and the plain/quoted
      // distinction (used to type route params) survive.
      node = resolved;
    }
  } else if (node.IsSequence()) {
    for (YAML::Node child : node) ResolveNode(child, false, references, env, problems, depth + 1);
  } else if (node.IsMap()) {
    for (auto entry : node) {
      ResolveNode(entry.first, true, references, env, problems, depth + 1);
      ResolveNode(entry.second, false, references, env, problems, depth + 1);
    }
  }
}

}  // namespace

TokenizedText TokenizeEnvReferences(std::string_view yaml) {
  TokenizedText result;
  result.text.reserve(yaml.size());
  int line = 1;
  std::size_t pos = 0;
  while (pos < yaml.size()) {
    if (yaml[pos] == '\n') ++line;
    if (yaml.compare(pos, 2, "${") != 0) {
      result.text += yaml[pos++];
      continue;
    }
    std::size_t close = yaml.find_first_of("}\n", pos + 2);
    EnvReference reference;
    if (close == std::string_view::npos || yaml[close] == '\n') {
      // Unterminated: only "${" becomes a token, the rest of the line stays as written.
      reference.line = line;
      reference.malformed = true;
      close = pos + 1;
    } else {
      reference = ParseReference(yaml.substr(pos + 2, close - pos - 2), line);
    }
    result.text += fmt::format("{}{}{}", kTokenPrefix, result.references.size(), kTokenSuffix);
    result.references.push_back(std::move(reference));
    pos = close + 1;
  }
  return result;
}

std::string ResolveEnvTokens(std::string_view scalar, const std::vector<EnvReference>& references,
                             const EnvLookup& env, std::vector<ConfigProblem>* problems) {
  std::string out;
  std::size_t pos = 0;
  while (pos < scalar.size()) {
    std::optional<std::pair<std::size_t, std::size_t>> token = MatchToken(scalar.substr(pos));
    if (!token || token->first >= references.size()) {
      out += scalar[pos++];
      continue;
    }
    out += Expand(references[token->first], env, problems);
    pos += token->second;
  }
  return out;
}

void ResolveEnvTokensInTree(YAML::Node root, const std::vector<EnvReference>& references,
                            const EnvLookup& env, std::vector<ConfigProblem>* problems) {
  if (references.empty()) return;
  ResolveNode(root, false, references, env, problems, 0);
}

bool IsUnresolved(const YAML::Node& node) {
  return node.IsDefined() && node.IsNull() && node.Tag() == kUnresolvedTag;
}

std::string InterpolateEnv(std::string_view text, int line, const EnvLookup& env,
                           std::vector<ConfigProblem>* problems) {
  TokenizedText tokenized = TokenizeEnvReferences(text);
  for (EnvReference& reference : tokenized.references) reference.line = line;
  return ResolveEnvTokens(tokenized.text, tokenized.references, env, problems);
}

}  // namespace switchyard::config

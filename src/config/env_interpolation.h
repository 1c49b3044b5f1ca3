// Environment interpolation for config text: `${NAME}` and `${NAME:-default}` anywhere inside a
// string scalar ("Bearer ${TOKEN}"). It works in two steps so that references are legal YAML even
// inside flow maps (`{ api_key: ${KEY} }`, where a bare `{` would end the scalar) and so that
// references in comments are never resolved: before parsing, each reference is swapped for an
// opaque token; after parsing, the tokens inside scalars are replaced by the variables' values.
// Pure functions; the environment is read only through the injected EnvLookup.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"

namespace switchyard::config {

// One `${...}` as written in the config text.
struct EnvReference {
  std::string name;                     // the variable's name
  std::optional<std::string> fallback;  // the text after ":-", when written
  int line = 0;                         // 1-based line of the `${`
  bool malformed = false;               // no '}' on its line, or not a valid variable name
};

struct TokenizedText {
  std::string text;                      // the input with each reference replaced by a token
  std::vector<EnvReference> references;  // indexed by the number inside the token
};

// Swaps every `${...}` of `yaml` for a token made of letters, digits and '_' only. Line breaks are
// kept, so line numbers in the tokenized text are those of the original.
TokenizedText TokenizeEnvReferences(std::string_view yaml);

// Replaces the tokens in `scalar` with the variables' values (or their defaults). An unset variable
// without default, or a malformed reference, adds a problem at the reference's line and expands to
// an empty string. Problems name the variable, never a value.
std::string ResolveEnvTokens(std::string_view scalar, const std::vector<EnvReference>& references,
                             const EnvLookup& env, std::vector<ConfigProblem>* problems);

// Applies ResolveEnvTokens to every scalar under `root`, map keys included, in place.
void ResolveEnvTokensInTree(YAML::Node root, const std::vector<EnvReference>& references,
                            const EnvLookup& env, std::vector<ConfigProblem>* problems);

// True for a value whose references could not be resolved: ResolveEnvTokensInTree turns it into a
// tagged null, so that readers treat it as absent without reporting it a second time.
bool IsUnresolved(const YAML::Node& node);

// Both steps on one string (no YAML); `line` is reported for every problem.
std::string InterpolateEnv(std::string_view text, int line, const EnvLookup& env,
                           std::vector<ConfigProblem>* problems);

}  // namespace switchyard::config

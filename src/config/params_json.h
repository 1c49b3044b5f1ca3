// ParamsJson: turns the YAML `params:` of a route target into the compact JSON object text that is
// merged into the upstream request body. Plain scalars get their YAML types (integers, floats,
// true/false, null); quoted or explicitly tagged scalars stay strings. Pure function.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace switchyard::config {

// Compact JSON for `node` (maps and lists nest). Returns nullopt for a value JSON cannot carry (an
// infinite or NaN float); `*bad_line` then holds its 1-based line.
std::optional<std::string> YamlToCompactJson(const YAML::Node& node, int* bad_line);

}  // namespace switchyard::config

#include "governance/model_allowlist.h"

#include <algorithm>

namespace switchyard::governance {

bool PatternMatches(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (pattern.ends_with("/*")) {
    const std::string_view provider = pattern.substr(0, pattern.size() - 1);  // "openai/"
    return name.size() > provider.size() && name.starts_with(provider);
  }
  return pattern == name;
}

bool AnyMatches(std::span<const std::string> patterns, std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [name](const std::string& pattern) { return PatternMatches(pattern, name); });
}

bool ModelAllowed(std::span<const std::string> patterns, std::string_view requested,
                  std::span<const std::string> targets) {
  if (patterns.empty() || AnyMatches(patterns, requested)) return true;
  return !targets.empty() &&
         std::all_of(targets.begin(), targets.end(), [patterns](const std::string& target) {
           return AnyMatches(patterns, target);
         });
}

}  // namespace switchyard::governance

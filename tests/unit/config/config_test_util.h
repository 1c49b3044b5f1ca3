// Helpers for the config loader tests: a fake environment and problem matchers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_loader.h"

namespace switchyard::config::testing_util {

inline EnvLookup FakeEnv(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline LoadResult Load(std::string_view yaml, const EnvLookup& env = FakeEnv()) {
  return LoadConfigText(yaml, "test.yaml", env);
}

// Every problem as "LINE: message", one per line, for failure output.
inline std::string Dump(const LoadResult& result) {
  std::string out;
  for (const ConfigProblem& problem : result.problems) {
    out += std::to_string(problem.line) + ": " + problem.message + "\n";
  }
  return out;
}

// True when a problem at `line` contains `text`.
inline bool HasProblem(const LoadResult& result, int line, std::string_view text) {
  for (const ConfigProblem& problem : result.problems) {
    if (problem.line == line && problem.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace switchyard::config::testing_util

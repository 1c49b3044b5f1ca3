// Loading and validating a YAML config. Every problem found is reported, each with its line, so that
// `switchyard check-config` can print them all at once; unknown keys and bad values are errors, never
// ignored.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace switchyard::config {

struct ConfigProblem {
  int line = 0;         // 1-based; 0 when the problem has no single line
  std::string message;  // one sentence; never contains the value of a secret
};

// Looks up an environment variable; injectable so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup ProcessEnv();

struct LoadResult {
  std::optional<Config> config;        // set when there are no problems
  std::vector<ConfigProblem> problems;
  // What loads but is likely a mistake (check-config prints them, serve logs them).
  std::vector<ConfigProblem> warnings;
};

// Parses YAML text. `source_name` is used in messages (usually the file path).
LoadResult LoadConfigText(std::string_view yaml, std::string_view source_name,
                          const EnvLookup& env = ProcessEnv());

// Reads and parses a file; a missing or unreadable file is one problem with line 0.
LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env = ProcessEnv());

// The embedded defaults (`switchyard serve` with no --config): loopback only, no providers.
Config DefaultConfig();

// "HOST:PORT" → host and port; accepts [v6]:port. Returns false when malformed.
bool ParseListenAddress(std::string_view text, std::string* host, std::uint16_t* port);

}  // namespace switchyard::config

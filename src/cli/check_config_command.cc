#include <cstdio>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "gateway/gateway_state.h"

namespace switchyard::cli {

int CheckConfig(const std::string& path) {
  config::LoadResult loaded = config::LoadConfigFile(path);
  for (const config::ConfigProblem& problem : loaded.problems) {
    if (problem.line > 0) {
      std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), problem.line, problem.message.c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), problem.message.c_str());
    }
  }
  if (!loaded.config) return 2;
  for (const config::ConfigProblem& warning : loaded.warnings) {
    std::fprintf(stderr, "%s:%d: warning: %s\n", path.c_str(), warning.line,
                 warning.message.c_str());
  }
  const std::size_t providers = loaded.config->providers.size();
  const std::size_t routes = loaded.config->routes.size();
  const std::size_t keys = loaded.config->keys.size();
  gateway::GatewayState state(std::move(*loaded.config));
  if (Status prepared = state.Prepare(); !prepared.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), prepared.error().message.c_str());
    return 2;
  }
  std::printf("%s: OK (%zu providers, %zu routes, %zu keys)\n", path.c_str(), providers, routes,
              keys);
  return 0;
}

}  // namespace switchyard::cli

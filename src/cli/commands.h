// The switchyard commands (CONTRACT.md, "Binary and commands"). Each returns the process exit code:
// 0 ok, 2 bad usage or config, 1 runtime failure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace switchyard::cli {

struct ServeOptions {
  std::string config_path;  // empty: the embedded defaults
  std::string listen;       // empty: the config's
  bool demo = false;
};

int Serve(const ServeOptions& options);

// The routes `serve --demo` adds, one per feature over the simulated models (each unless the config
// has a route of that name); `switchyard experiments --demo` reads demo-ab's judge from them.
std::vector<config::RouteConfig> DemoRoutes();
int CheckConfig(const std::string& path);
int Version();

// True for addresses that only this machine can reach.
bool IsLoopbackHost(const std::string& host);

}  // namespace switchyard::cli

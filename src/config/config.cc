#include "config/config.h"

namespace switchyard::config {

const ProviderConfig* Config::FindProvider(std::string_view name) const {
  for (const ProviderConfig& provider : providers) {
    if (provider.name == name) return &provider;
  }
  return nullptr;
}

const RouteConfig* Config::FindRoute(std::string_view name) const {
  for (const RouteConfig& route : routes) {
    if (route.name == name) return &route;
  }
  return nullptr;
}

}  // namespace switchyard::config

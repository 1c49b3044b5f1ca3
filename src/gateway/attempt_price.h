// The price of an attempt at a provider: the config's `prices:` under the provider's configured
// name win; else the catalog's for the host it is (its known-host profile's name). Shared by the
// router's attempts and the response cache's embedding attempt.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "canonical/usage.h"
#include "config/config.h"
#include "pricing/cost.h"
#include "pricing/price_catalog.h"

namespace switchyard::gateway {

std::optional<pricing::Nanos> PriceAtProvider(const pricing::PriceCatalog& catalog,
                                              const config::ProviderConfig& provider,
                                              std::string_view model,
                                              const canonical::Usage& usage,
                                              std::chrono::system_clock::time_point when);

}  // namespace switchyard::gateway

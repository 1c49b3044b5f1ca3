// The price of an attempt at a provider: the config's `prices:` under the provider's configured
// name win; else the catalog's for the host it is (its known-host profile's name). Shared by the
// router's attempts and the response cache's embedding attempt.
// Also the comment that closes a stream with the call's cost (CONTRACT.md), written by the attempts
// and by the cache's replay alike.
#pragma once

#include <chrono>
#include <optional>
#include <string>
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

// `: switchyard {"cost_usd":…,"request_id":…}` and the blank line: an SSE comment, which SDKs skip.
// A null cost_usd: some part of the call's cost is unknown.
std::string StreamCostComment(std::optional<pricing::Nanos> call_cost, std::string_view request_id);

}  // namespace switchyard::gateway

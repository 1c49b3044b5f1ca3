#include "gateway/attempt_price.h"

#include <fmt/format.h>

#include "pricing/money.h"

namespace switchyard::gateway {

std::optional<pricing::Nanos> PriceAtProvider(const pricing::PriceCatalog& catalog,
                                              const config::ProviderConfig& provider,
                                              std::string_view model,
                                              const canonical::Usage& usage,
                                              std::chrono::system_clock::time_point when) {
  const hosts::HostProfile* profile = provider.profile;
  const bool own_price = catalog.FindModel(provider.name, model) != nullptr;
  const std::string_view catalog_name =
      own_price || profile == nullptr ? std::string_view(provider.name) : profile->name;
  return pricing::PriceAttempt(catalog, catalog_name, model, usage, when);
}

std::string StreamCostComment(std::optional<pricing::Nanos> call_cost, std::string_view request_id) {
  return fmt::format(": switchyard {{\"cost_usd\":{},\"request_id\":\"{}\"}}\n\n",
                     call_cost ? pricing::FormatUsd(*call_cost) : "null", request_id);
}

}  // namespace switchyard::gateway

#include "gateway/gateway_state.h"

#include <fmt/format.h>

#include "pricing/embedded_catalog.h"

namespace switchyard::gateway {

GatewayState::GatewayState(config::Config cfg) : config(std::move(cfg)) {
  sinks.push_back(&metrics);
  catalog = &pricing::EmbeddedCatalog();
  tls_context.set_default_verify_paths();  // honours SSL_CERT_FILE / SSL_CERT_DIR
  tls_context.set_verify_mode(net::ssl::verify_peer);
  tls_context.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                          net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                          net::ssl::context::no_tlsv1_1);
}

Status GatewayState::Prepare() {
  providers.clear();
  providers.reserve(config.providers.size());
  for (const config::ProviderConfig& provider : config.providers) {
    auto endpoint = http::ParseUpstreamEndpoint(provider.base_url);
    if (!endpoint) {
      return Error::Config(fmt::format("provider '{}': {}", provider.name, endpoint.error().message));
    }
    const providers::ProviderAdapter* adapter = providers::AdapterFor(provider.kind);
    // Only the OpenAI client API is served so far, so a provider of another wire format would need
    // the translated path, which the codecs support but the request path does not run yet.
    if (adapter == nullptr || provider.kind != providers::WireFormat::kOpenAI) {
      return Error::Config(fmt::format(
          "provider '{}': the {} wire format is not supported by this version yet", provider.name,
          providers::ToString(provider.kind)));
    }
    providers.push_back({&provider, std::move(endpoint).value(), adapter});
  }
  resolver = std::make_unique<routing::ModelResolver>(config, providers);
  return Status();
}

}  // namespace switchyard::gateway

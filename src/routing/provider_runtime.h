// ProviderRuntime: a configured provider with what startup derived from its config — its parsed
// endpoint and its wire format's adapter. Built once; immutable and shared by every worker.
#pragma once

#include "config/config.h"
#include "http/client/upstream_endpoint.h"
#include "providers/provider_adapter.h"

namespace switchyard::routing {

struct ProviderRuntime {
  const config::ProviderConfig* config = nullptr;
  http::UpstreamEndpoint endpoint;
  const providers::ProviderAdapter* adapter = nullptr;
};

}  // namespace switchyard::routing

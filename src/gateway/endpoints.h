// The gateway's HTTP surface (CONTRACT.md, "Client-facing HTTP"): one table per worker, mapping each
// endpoint to its handler.
#pragma once

#include "gateway/gateway_state.h"
#include "http/server/endpoint_table.h"

namespace switchyard::gateway {

http::EndpointTable BuildEndpointTable(Worker& worker);

// Renders an error detected before any handler ran (malformed HTTP, limits) for the path's API,
// and records the rejected call, so that a 413 or 431 shows in the access log like any other answer.
std::function<std::string(std::string_view method, std::string_view path, const Error& error,
                          std::string* content_type)>
SessionErrorHandler(const GatewayState& state);

}  // namespace switchyard::gateway

// The gateway's HTTP surface (CONTRACT.md, "Client-facing HTTP"): one table per worker, mapping each
// endpoint to its handler.
#pragma once

#include "gateway/gateway_state.h"
#include "http/server/endpoint_table.h"

namespace switchyard::gateway {

http::EndpointTable BuildEndpointTable(Worker& worker);

// Renders an error detected before any handler ran (malformed HTTP, limits) for the path's API.
std::string FormatSessionError(std::string_view path, const Error& error, std::string* content_type);

}  // namespace switchyard::gateway

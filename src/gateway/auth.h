// Gateway key check. Clients present a gateway key as `Authorization: Bearer <key>` (OpenAI SDK) or
// `x-api-key: <key>` (Anthropic SDK). Every configured key is compared, in constant time, whatever
// matches first, so timing tells an attacker nothing about any key.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "http/server/incoming_request.h"

namespace switchyard::gateway {

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or empty.
std::string_view BearerToken(const http::IncomingRequest& request);

// The matching key's name; with no keys configured, "anonymous". Errors: kUnauthorized.
Result<std::string> Authenticate(const http::IncomingRequest& request,
                                 const std::vector<config::GatewayKey>& keys);

}  // namespace switchyard::gateway

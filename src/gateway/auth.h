// Where clients present their gateway key: `x-api-key: <key>` (Anthropic SDK) or
// `Authorization: Bearer <key>` (OpenAI SDK). The key is checked by the governance
// (governance/governor.h), by its hash.
#pragma once

#include <string_view>

#include "http/server/incoming_request.h"

namespace switchyard::gateway {

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or empty.
std::string_view BearerToken(const http::IncomingRequest& request);

// The gateway key the request presents, or empty.
std::string_view PresentedKey(const http::IncomingRequest& request);

}  // namespace switchyard::gateway

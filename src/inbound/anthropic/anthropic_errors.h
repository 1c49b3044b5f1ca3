// The Anthropic API's error shapes, for clients that speak it (wire-formats.md §3.5):
// {"type":"error","error":{"type","message"}} with the HTTP status, and the `event: error` that ends
// a stream which failed after it started (the Anthropic SDK raises on it). The error type is the
// one Anthropic uses for the status (529 overloaded_error, 429 rate_limit_error, 401
// authentication_error, ...); for statuses with only a generic type (other 4xx, other 5xx) the
// Error's own type is kept when Anthropic documents it (e.g. a provider's overloaded_error).
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace switchyard::inbound::anthropic {

std::string_view ErrorTypeFor(const Error& error);

// {"type":"error","error":{"type","message"}}.
std::string FormatErrorBody(const Error& error);

// "event: error\ndata: {...}\n\n".
std::string FormatStreamError(const Error& error);

// The status an Anthropic client sees: the provider's own (529 is Anthropic's overloaded status).
int ClientStatusFor(int provider_status);

}  // namespace switchyard::inbound::anthropic

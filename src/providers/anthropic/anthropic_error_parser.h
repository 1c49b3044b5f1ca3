// Reads an Anthropic error answer, {"type":"error","error":{"type","message"},"request_id"}
// (wire-formats.md §3.5), into a ProviderError and classifies it: overloaded_error (529, or inside
// any status) and rate_limit_error are retryable; authentication, permission, billing and
// not-found errors fall back to another target; invalid_request_error and request_too_large are
// fatal. Unknown types are classified by status, as Anthropic advises.
//
// Pure function; safe from any thread.
#pragma once

#include <string_view>

#include "providers/provider_error.h"

namespace switchyard::providers::anthropic {

ProviderError ParseAnthropicError(int status, std::string_view body);

}  // namespace switchyard::providers::anthropic

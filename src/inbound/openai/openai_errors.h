// The OpenAI API's error shapes, for clients that speak it: the JSON body of an error response, and
// the event that ends a stream which failed after it had started (the OpenAI SDK raises on a data
// payload with a top-level "error").
#pragma once

#include <string>

#include "core/error.h"

namespace switchyard::inbound::openai {

// {"error":{"message","type","param","code"}}; param and code are null when empty.
std::string FormatErrorBody(const Error& error);

// "data: {\"error\":{...}}\n\n"
std::string FormatStreamError(const Error& error);

// The status an OpenAI client should see for a provider status (529 has no OpenAI meaning: 503).
int ClientStatusFor(int provider_status);

}  // namespace switchyard::inbound::openai

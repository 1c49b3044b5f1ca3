// The endpoints that forward to a provider: POST /v1/chat/completions and /v1/embeddings (OpenAI
// API) and POST /v1/messages (Anthropic API). Checks the key and the body, resolves the model to a
// plan, and runs the plan's attempts in order (fallback moves on as CONTRACT.md says) until one
// delivers an answer. Each attempt forwards the client's bytes to a target of the client's own
// wire format, and translates for any other (attempt.h).
#pragma once

#include "canonical/chat.h"
#include "core/asio.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "providers/provider_adapter.h"
#include "wire/format.h"

namespace switchyard::gateway {

// Which endpoint a proxied call came in on.
struct Endpoint {
  providers::Operation operation = providers::Operation::kChatCompletions;
  wire::Format dialect = wire::Format::kOpenAI;  // the client's API
};

Task<> HandleProxiedCall(Worker& worker, http::IncomingRequest& request,
                         http::Downstream& downstream, Endpoint endpoint);

}  // namespace switchyard::gateway

// The OpenAI-format endpoints that forward to a provider: POST /v1/chat/completions and
// POST /v1/embeddings. Checks the key and the body, resolves the model to a plan, and runs the plan's
// attempts in order (fallback moves on as CONTRACT.md says) until one delivers an answer.
#pragma once

#include "core/asio.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "providers/provider_adapter.h"

namespace switchyard::gateway {

Task<> HandlePassthroughCall(Worker& worker, http::IncomingRequest& request,
                             http::Downstream& downstream, providers::Operation operation);

}  // namespace switchyard::gateway

// The semantic cache's embedding call: the request's text embedded by `cache.semantic.
// embedding_model`, called through the gateway's own providers (an OpenAI-format embeddings
// endpoint), priced and recorded as an attempt of kind `embedding` of the call it serves.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/asio.h"
#include "gateway/gateway_state.h"
#include "http/server/incoming_request.h"
#include "ledger/call_record.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

struct EmbeddingOutcome {
  ledger::AttemptRecord record;  // kind kEmbedding, priced; outcome says how it ended
  std::optional<std::vector<float>> vector;  // the embedding; empty when the attempt failed
};

// `n`: the attempt's number in the call; `call_time` prices it. The provider key is the one the
// call would use at that target (a per-call override included).
Task<EmbeddingOutcome> RunEmbeddingAttempt(Worker& worker, const http::IncomingRequest& request,
                                           const routing::PlannedTarget& target,
                                           std::string_view text, int n,
                                           std::chrono::system_clock::time_point call_time);

}  // namespace switchyard::gateway

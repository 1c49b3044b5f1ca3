// What every admin endpoint shares: the admin key's check, answers computed off the event loop
// (ledger and database work blocks, so it runs on the gateway's blocking pool), errors in the
// OpenAI error shape, and query parameters.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"

namespace switchyard::gateway {

// An answer computed off the event loop (default-constructible, as co_spawn results must be).
struct AdminAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

AdminAnswer ErrorAnswer(const Error& error);

// The value of one query parameter, decoded; empty when absent.
std::string QueryParam(std::string_view query, std::string_view name);

// Checks the admin key, then runs `compute` on the blocking pool and writes its answer (an error
// answer when the key is wrong or the ledger is off).
Task<> Authorized(const GatewayState& state, const http::IncomingRequest& request,
                  http::Downstream& downstream, std::function<AdminAnswer()> compute);

// Whether the request carries the admin key.
Status CheckAdminKey(const http::IncomingRequest& request, const config::Config& config);

}  // namespace switchyard::gateway

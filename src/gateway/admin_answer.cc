#include "gateway/admin_answer.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse_query.hpp>

#include "gateway/auth.h"
#include "gateway/call.h"
#include "inbound/openai/openai_errors.h"

namespace switchyard::gateway {

using http::Downstream;
using http::IncomingRequest;

AdminAnswer ErrorAnswer(const Error& error) {
  return {error.http_status, "application/json", inbound::openai::FormatErrorBody(error)};
}

Status CheckAdminKey(const IncomingRequest& request, const config::Config& config) {
  if (config.admin_key.empty()) {
    return Error::Unauthorized("the admin API is disabled: set admin_key in the config");
  }
  if (!ConstantTimeEquals(BearerToken(request), config.admin_key.reveal())) {
    return Error::Unauthorized("missing or wrong admin key (send Authorization: Bearer <admin_key>)");
  }
  return Status();
}

// The value of one query parameter, decoded; empty when absent.
std::string QueryParam(std::string_view query, std::string_view name) {
  // An empty view may have a null data pointer, which parse_query hands to strlen: never pass one.
  if (query.empty()) return {};
  auto params = boost::urls::parse_query(query);
  if (!params) return {};
  for (const auto& param : *params) {
    if (param.key.decode() == name) return param.value.decode();
  }
  return {};
}

namespace {

// The body of a task run on the blocking pool. A plain coroutine function, not a capturing coroutine
// lambda: the frame owns `compute` by value, so nothing it uses dies while it runs elsewhere.
Task<AdminAnswer> ComputeAnswer(std::function<AdminAnswer()> compute) { co_return compute(); }

// Runs `compute` on the blocking pool and writes its answer.
Task<> Answer(const GatewayState& state, Downstream& downstream,
              std::function<AdminAnswer()> compute) {
  AdminAnswer answer;
  if (state.ledger_reader == nullptr || state.blocking_pool == nullptr) {
    answer = ErrorAnswer(Error::NotFound("the admin API needs the ledger, which is off"));
  } else {
    answer = co_await net::co_spawn(state.blocking_pool->get_executor(),
                                    ComputeAnswer(std::move(compute)), net::use_awaitable);
  }
  http::HeaderList headers = {{"Content-Type", answer.content_type},
                              {"x-switchyard-request-id", NewRequestId()}};
  co_await downstream.Respond(answer.status, std::move(headers), std::move(answer.body));
}

}  // namespace

Task<> Authorized(const GatewayState& state, const IncomingRequest& request,
                  Downstream& downstream, std::function<AdminAnswer()> compute) {
  // Named first: GCC 12 destroys a temporary std::function built inside a co_await expression twice.
  std::function<AdminAnswer()> answer = std::move(compute);
  if (Status allowed = CheckAdminKey(request, state.config); !allowed.ok()) {
    answer = [error = allowed.error()] { return ErrorAnswer(error); };
  }
  co_await Answer(state, downstream, std::move(answer));
}

}  // namespace switchyard::gateway

#include "gateway/admin_endpoints.h"

#include <fmt/format.h>

#include "cache/response_cache.h"
#include "gateway/admin_answer.h"
#include "gateway/call.h"
#include "inbound/openai/openai_errors.h"
#include "ledger/query/ledger_format.h"
#include "ledger/query/ledger_store.h"
#include "ledger/query/spend_query.h"

namespace switchyard::gateway {
namespace {

using http::Downstream;
using http::IncomingRequest;

AdminAnswer SpendAnswer(ledger::LedgerStore& reader, std::string_view query) {
  auto spend = ledger::ParseSpendQuery(QueryParam(query, "since"), QueryParam(query, "until"),
                                       QueryParam(query, "group_by"));
  if (!spend) return ErrorAnswer(spend.error());
  std::string format_text = QueryParam(query, "format");
  auto format = ledger::ParseOutputFormat(format_text.empty() ? "json" : format_text);
  if (!format) return ErrorAnswer(format.error());
  auto rows = reader.Spend(*spend);
  if (!rows) return ErrorAnswer(rows.error());
  const bool csv = *format == ledger::OutputFormat::kCsv;
  return {200, csv ? "text/csv" : "application/json", ledger::FormatSpend(*rows, *spend, *format)};
}

AdminAnswer RequestAnswer(ledger::LedgerStore& reader, std::string_view request_id) {
  auto call = reader.FindRequest(request_id);
  if (!call) return ErrorAnswer(call.error());
  return {200, "application/json", ledger::FormatRequestJson(*call)};
}

}  // namespace

void AddAdminEndpoints(http::EndpointTable& table, Worker& worker) {
  const GatewayState& state = worker.state;
  table.Add("GET", "/admin/spend", [&state](IncomingRequest& request, Downstream& down) {
    std::string query(request.query);
    return Authorized(state, request, down, [&state, query] {
      return SpendAnswer(*state.ledger_reader, query);
    });
  });
  // The response cache's figures (CONTRACT.md "Observability": GET /admin/cache).
  table.Add("GET", "/admin/cache", [&state](IncomingRequest& request, Downstream& down) {
    return Authorized(state, request, down, [&state] {
      return AdminAnswer{200, "application/json", state.cache->StatsJson()};
    });
  });
  table.Add("GET", "/admin/requests/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string id(request.path.substr(std::string_view("/admin/requests/").size()));
    return Authorized(state, request, down, [&state, id] {
      return RequestAnswer(*state.ledger_reader, id);
    });
  });
}

}  // namespace switchyard::gateway

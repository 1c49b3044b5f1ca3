// The admin API (CONTRACT.md "Admin API"), behind the config's admin_key sent as
// `Authorization: Bearer`: GET /admin/spend and GET /admin/requests/{request_id}, read from the
// ledger. Ledger reads block on disk, so they run on the gateway's blocking pool, never on a worker's
// event loop.
#pragma once

#include "gateway/gateway_state.h"
#include "http/server/endpoint_table.h"

namespace switchyard::gateway {

void AddAdminEndpoints(http::EndpointTable& table, Worker& worker);

}  // namespace switchyard::gateway

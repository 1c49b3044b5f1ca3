// The governance's admin API (CONTRACT.md "Governance"), behind the admin key:
//   POST   /admin/keys                 create a virtual key → 201, the secret shown once
//   GET    /admin/keys                 every key (config and virtual), never a secret
//   GET    /admin/keys/{id}            one key, with `spent_usd` in its budget's current period
//   PATCH  /admin/keys/{id}            change its fields
//   POST   /admin/keys/{id}/rotate     a new secret; the old one stops at once
//   DELETE /admin/keys/{id}            revoke it, at once
//   POST   /admin/budgets              { scope, usd, period, mode } above keys → 201
//   GET    /admin/budgets              every budget above keys, with its spend this period
//   DELETE /admin/budgets/{scope}
//   GET    /admin/audit?after=SEQ&limit=N   the audit log, oldest first
// Writes go through governance::KeyAdmin on the blocking pool; this gateway then reloads its keys
// at once, and the others within `governance.refresh_ms`.
#pragma once

#include "gateway/gateway_state.h"
#include "http/server/endpoint_table.h"

namespace switchyard::gateway {

void AddGovernanceEndpoints(http::EndpointTable& table, Worker& worker);

}  // namespace switchyard::gateway

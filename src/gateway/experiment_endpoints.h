// The experiments' admin API (CONTRACT.md "Admin API", issue 17), behind the admin key:
//   GET  /admin/experiments                       every ab route: name, epoch, status, verdict
//   GET  /admin/experiments/{route}[?epoch=E]     one epoch's report (gateway/experiment_report.h)
//   POST /admin/experiments/{route}/pause|resume|stop   then the report of the changed state
// Everything runs on the blocking pool: reports read the ledger's database and changes write it
// (ExperimentRegistry::Change). Without a ledger store the answers show the live state only.
#pragma once

#include "gateway/gateway_state.h"
#include "http/server/endpoint_table.h"

namespace switchyard::gateway {

void AddExperimentEndpoints(http::EndpointTable& table, Worker& worker);

}  // namespace switchyard::gateway

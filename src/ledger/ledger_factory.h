// OpenLedger: the ledger backend the config selects (`ledger: { backend: sqlite, path: ... }` or
// `{ backend: postgres, url: ... }`, CONTRACT.md), as a sink that the gateway records calls into and
// a store that `switchyard spend` and the admin API read. The one place that knows the backends.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "ledger/experiment_store.h"
#include "ledger/governance_store.h"
#include "ledger/query/ledger_store.h"
#include "ledger/sinks/batching_ledger_sink.h"

namespace switchyard::ledger {

struct OpenedLedger {
  std::unique_ptr<BatchingLedgerSink> sink;  // empty when opened for reading only
  std::unique_ptr<LedgerStore> store;
};

// The sink's queue and batching as the config sets them (`max_queued`, `flush_ms`).
LedgerSinkOptions SinkOptionsFrom(const config::LedgerConfig& config);

// Opens the sink (creating the schema when missing) and then the reader. Fails with one sentence:
// for postgres it names the host and database only, never the URL.
Result<OpenedLedger> OpenLedger(const config::LedgerConfig& config);

// Opens the reader alone (`switchyard spend`): never creates a ledger.
Result<std::unique_ptr<LedgerStore>> OpenLedgerStore(const config::LedgerConfig& config);

// Opens the governance's store in the same database (creating or upgrading the schema when needed):
// the gateway's virtual keys, budgets and audit log, and `switchyard keys` when no gateway runs.
Result<std::unique_ptr<GovernanceStore>> OpenGovernanceStore(const config::LedgerConfig& config);

// Opens the `ab` experiments' store in the same database (creating or upgrading the schema when
// needed): the experiments' state, and the calls and judgements their results are computed from.
Result<std::unique_ptr<ExperimentStore>> OpenExperimentStore(const config::LedgerConfig& config);

}  // namespace switchyard::ledger

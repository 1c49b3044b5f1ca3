#include "ledger/ledger_factory.h"

#include <fmt/format.h>

#include <string>

#include "ledger/postgres/postgres_experiment_store.h"
#include "ledger/postgres/postgres_governance_store.h"
#include "ledger/postgres/postgres_ledger_reader.h"
#include "ledger/postgres/postgres_ledger_sink.h"
#include "ledger/sqlite/ledger_reader.h"
#include "ledger/sqlite/sqlite_experiment_store.h"
#include "ledger/sqlite/sqlite_governance_store.h"
#include "ledger/sqlite/sqlite_ledger_sink.h"

namespace switchyard::ledger {
namespace {

Error UnknownBackend(const std::string& backend) {
  return Error::Config(fmt::format("ledger backend '{}' is not one of sqlite, postgres", backend));
}

}  // namespace

LedgerSinkOptions SinkOptionsFrom(const config::LedgerConfig& config) {
  LedgerSinkOptions options;
  options.max_queued = static_cast<std::size_t>(config.max_queued);
  options.batch_window = config.flush_ms;
  return options;
}

Result<OpenedLedger> OpenLedger(const config::LedgerConfig& config) {
  OpenedLedger opened;
  const LedgerSinkOptions options = SinkOptionsFrom(config);
  if (config.backend == "sqlite") {
    auto sink = SqliteLedgerSink::Open(config.path, options);
    if (!sink) return sink.error();
    opened.sink = std::move(*sink);
  } else if (config.backend == "postgres") {
    auto sink = PostgresLedgerSink::Open(std::string(config.url.reveal()), options);
    if (!sink) return sink.error();
    opened.sink = std::move(*sink);
  } else {
    return UnknownBackend(config.backend);
  }
  auto store = OpenLedgerStore(config);
  if (!store) return store.error();
  opened.store = std::move(*store);
  return opened;
}

Result<std::unique_ptr<LedgerStore>> OpenLedgerStore(const config::LedgerConfig& config) {
  if (config.backend == "sqlite") {
    auto reader = LedgerReader::Open(config.path);
    if (!reader) return reader.error();
    return std::unique_ptr<LedgerStore>(std::move(*reader));
  }
  if (config.backend == "postgres") {
    auto reader = PostgresLedgerReader::Open(std::string(config.url.reveal()));
    if (!reader) return reader.error();
    return std::unique_ptr<LedgerStore>(std::move(*reader));
  }
  return UnknownBackend(config.backend);
}

Result<std::unique_ptr<GovernanceStore>> OpenGovernanceStore(const config::LedgerConfig& config) {
  if (config.backend == "sqlite") {
    auto store = SqliteGovernanceStore::Open(config.path);
    if (!store) return store.error();
    return std::unique_ptr<GovernanceStore>(std::move(*store));
  }
  if (config.backend == "postgres") {
    auto store = PostgresGovernanceStore::Open(std::string(config.url.reveal()));
    if (!store) return store.error();
    return std::unique_ptr<GovernanceStore>(std::move(*store));
  }
  return UnknownBackend(config.backend);
}

Result<std::unique_ptr<ExperimentStore>> OpenExperimentStore(const config::LedgerConfig& config) {
  if (config.backend == "sqlite") {
    auto store = SqliteExperimentStore::Open(config.path);
    if (!store) return store.error();
    return std::unique_ptr<ExperimentStore>(std::move(*store));
  }
  if (config.backend == "postgres") {
    auto store = PostgresExperimentStore::Open(std::string(config.url.reveal()));
    if (!store) return store.error();
    return std::unique_ptr<ExperimentStore>(std::move(*store));
  }
  return UnknownBackend(config.backend);
}

}  // namespace switchyard::ledger

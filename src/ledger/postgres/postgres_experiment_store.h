// PostgresExperimentStore: the ExperimentStore (ledger/experiment_store.h) in the PostgreSQL
// ledger, on a connection of its own, connected again when lost. Several gateways share one
// database: each sees the same experiments, calls and judgements.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "ledger/experiment_store.h"
#include "ledger/postgres/pg_conn.h"
#include "ledger/postgres/pg_ledger_connection.h"

namespace switchyard::ledger {

class PostgresExperimentStore : public ExperimentStore {
 public:
  // Connects, creating or upgrading the ledger's schema when needed.
  static Result<std::unique_ptr<PostgresExperimentStore>> Open(const std::string& url);

  Result<StoredExperiment> Ensure(const StoredExperiment& configured) override;
  Result<std::optional<StoredExperiment>> Find(std::string_view route,
                                               std::string_view epoch) override;
  Result<std::vector<StoredExperiment>> Experiments(std::string_view route) override;
  Status Update(const StoredExperiment& experiment) override;
  Result<std::vector<VariantCalls>> CallsByVariant(std::string_view route, std::string_view epoch,
                                                   int max_latencies) override;
  Result<std::vector<StoredJudgement>> Judgements(std::string_view route, std::string_view epoch,
                                                  int limit) override;
  Result<std::int64_t> JudgingSpendSince(std::string_view route, std::int64_t since_ms) override;

 private:
  explicit PostgresExperimentStore(PgLedgerConnection db) : db_(std::move(db)) {}
  Result<std::optional<StoredExperiment>> FindLocked(std::string_view route,
                                                     std::string_view epoch);
  // CallsByVariant's two queries, in one read transaction under mutex_.
  Result<std::vector<VariantCalls>> ReadCallsByVariant(PgConnection& conn,
                                                       const std::vector<PgParam>& params);

  std::mutex mutex_;
  PgLedgerConnection db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

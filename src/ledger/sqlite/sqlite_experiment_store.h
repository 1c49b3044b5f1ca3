// SqliteExperimentStore: the ExperimentStore (ledger/experiment_store.h) in the SQLite ledger's
// file, on a connection of its own beside the writer's (WAL: readers never block the writer; a
// write waits for the writer through busy_timeout rather than failing at once).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "ledger/experiment_store.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger {

class SqliteExperimentStore : public ExperimentStore {
 public:
  // Opens (and creates or upgrades, when needed) the ledger at `path`.
  static Result<std::unique_ptr<SqliteExperimentStore>> Open(const std::string& path);

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
  SqliteExperimentStore(std::string path, SqliteDb db)
      : path_(std::move(path)), db_(std::move(db)) {}
  Error DatabaseError(const std::string& message) const;
  // The parts of Find and CallsByVariant, under mutex_.
  Result<std::optional<StoredExperiment>> FindLocked(std::string_view route,
                                                     std::string_view epoch);
  Result<std::vector<VariantCalls>> VariantSums(std::string_view route, std::string_view epoch);
  Status AddLatencies(std::string_view route, std::string_view epoch, int max_latencies,
                      std::vector<VariantCalls>& variants);

  const std::string path_;
  std::mutex mutex_;
  SqliteDb db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

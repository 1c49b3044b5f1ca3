// SqliteGovernanceStore: the GovernanceStore (ledger/governance_store.h) in the SQLite ledger's file,
// on a connection of its own beside the writer's (WAL: readers and the one writer at a time wait
// for each other through busy_timeout, never fail at once).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "ledger/governance_store.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger {

class SqliteGovernanceStore : public GovernanceStore {
 public:
  // Opens (and creates or upgrades, when needed) the ledger at `path`.
  static Result<std::unique_ptr<SqliteGovernanceStore>> Open(const std::string& path);

  Status WriteKey(const StoredKey& key, bool replace, const AuditEntry& audit) override;
  Result<std::vector<StoredKey>> Keys() override;
  Status WriteBudget(const StoredBudget& budget, const AuditEntry& audit) override;
  Result<std::vector<StoredBudget>> Budgets() override;
  Result<std::int64_t> Revision() override;
  Result<std::vector<AuditEntry>> Audit(std::int64_t after, int limit) override;
  Result<std::vector<KeyDaySpend>> SpendByKeyAndDay(std::int64_t since_ms) override;

 private:
  SqliteGovernanceStore(std::string path, SqliteDb db) : path_(std::move(path)), db_(std::move(db)) {}
  Error DatabaseError(const std::string& message) const;
  // Runs `body` between BEGIN IMMEDIATE and COMMIT with the audit entry and the revision's
  // increment; rolls back on any failure.
  Status InTransaction(const AuditEntry& audit, const std::function<Status()>& body);
  Status AppendAudit(const AuditEntry& audit);

  const std::string path_;
  std::mutex mutex_;
  SqliteDb db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

// PostgresGovernanceStore: the GovernanceStore (ledger/governance_store.h) in the PostgreSQL ledger,
// on a connection of its own, connected again when lost. Several gateways share one database:
// the revision row serializes their writes (a row lock) and tells each of the others' changes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "ledger/governance_store.h"
#include "ledger/postgres/pg_conn.h"
#include "ledger/postgres/pg_ledger_connection.h"

namespace switchyard::ledger {

class PostgresGovernanceStore : public GovernanceStore {
 public:
  // Connects, creating or upgrading the ledger's schema when needed.
  static Result<std::unique_ptr<PostgresGovernanceStore>> Open(const std::string& url);

  Status WriteKey(const StoredKey& key, bool replace, const AuditEntry& audit) override;
  Result<std::vector<StoredKey>> Keys() override;
  Status WriteBudget(const StoredBudget& budget, const AuditEntry& audit) override;
  Result<std::vector<StoredBudget>> Budgets() override;
  Result<std::int64_t> Revision() override;
  Result<std::vector<AuditEntry>> Audit(std::int64_t after, int limit) override;
  Result<std::vector<KeyDaySpend>> SpendByKeyAndDay(std::int64_t since_ms) override;

 private:
  explicit PostgresGovernanceStore(PgLedgerConnection db) : db_(std::move(db)) {}
  // `statement` with `params`, then the audit entry and the revision's increment, in one
  // transaction; `expect_row` makes zero affected rows a NotFound error naming `target`.
  Status Change(std::string_view statement, const std::vector<PgParam>& params,
                const AuditEntry& audit, bool expect_row);

  std::mutex mutex_;
  PgLedgerConnection db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

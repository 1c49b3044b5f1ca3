// PostgresGovernanceStore: the GovernanceStore (ledger/governance_store.h) in the PostgreSQL ledger,
// on a connection of its own, connected again when lost. Several gateways share one database:
// the revision row serializes their writes (a row lock) and tells each of the others' changes.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ledger/governance_store.h"
#include "ledger/postgres/pg_conn.h"

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
  PostgresGovernanceStore(std::string url, PgConnection conn)
      : url_(std::move(url)), target_(conn.target()), conn_(std::move(conn)) {}
  Error DatabaseError(const std::string& message) const;
  Result<PgConnection*> Connection();  // call under mutex_
  // One statement with parameters, under mutex_.
  Result<PgResult> Query(std::string_view sql, const std::vector<PgParam>& params = {});
  // `statement` with `params`, then the audit entry and the revision's increment, in one
  // transaction; `expect_row` makes zero affected rows a NotFound error naming `target`.
  Status Change(std::string_view statement, const std::vector<PgParam>& params,
                const AuditEntry& audit, bool expect_row);

  const std::string url_;
  const std::string target_;
  std::mutex mutex_;
  std::optional<PgConnection> conn_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

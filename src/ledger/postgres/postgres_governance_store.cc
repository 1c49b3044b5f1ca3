#include "ledger/postgres/postgres_governance_store.h"

#include <fmt/format.h>

#include "ledger/postgres/postgres_schema.h"

namespace switchyard::ledger {
namespace {

PgParam Int(std::int64_t value) { return std::to_string(value); }
PgParam OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? PgParam(std::to_string(*value)) : PgParam();
}
PgParam TextOrNull(const std::string& text) { return text.empty() ? PgParam() : text; }

bool IsUniqueViolation(const std::string& message) {
  return message.find("duplicate key value violates unique constraint") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<PostgresGovernanceStore>> PostgresGovernanceStore::Open(
    const std::string& url) {
  Result<PgLedgerConnection> db = PgLedgerConnection::Open(url, CreatePostgresLedgerSchema);
  if (!db) return db.error();
  return std::unique_ptr<PostgresGovernanceStore>(new PostgresGovernanceStore(std::move(*db)));
}

Status PostgresGovernanceStore::Change(std::string_view statement,
                                       const std::vector<PgParam>& params,
                                       const AuditEntry& audit, bool expect_row) {
  Result<PgConnection*> conn = db_.Connection();
  if (!conn) return conn.error();
  PgConnection& c = **conn;
  auto fail = [&](Error error) -> Status {
    (void)c.Exec("ROLLBACK");
    return error;
  };
  if (Result<PgResult> begun = c.Exec("BEGIN"); !begun) {
    return fail(db_.DatabaseError(begun.error().message));
  }
  // Taken first: concurrent changes from several gateways queue here, not deadlock later.
  Result<PgResult> bumped =
      c.Exec("UPDATE governance_revision SET revision = revision + 1");
  if (!bumped) return fail(db_.DatabaseError(bumped.error().message));
  Result<PgResult> changed = c.Exec(statement, params);
  if (!changed) {
    if (IsUniqueViolation(changed.error().message)) {
      return fail(Error::Conflict("a key with this id or the same secret exists"));
    }
    return fail(db_.DatabaseError(changed.error().message));
  }
  if (expect_row && changed->rows() == 0) {
    return fail(Error::NotFound(fmt::format("there is no {}", audit.target)));
  }
  Result<PgResult> audited = c.Exec(
      "INSERT INTO audit_log (time_ms, actor, action, target, before, after) "
      "VALUES ($1::bigint, $2, $3, $4, $5::jsonb, $6::jsonb)",
      {Int(audit.time_ms), audit.actor, audit.action, audit.target,
       TextOrNull(audit.before_json), TextOrNull(audit.after_json)});
  if (!audited) return fail(db_.DatabaseError(audited.error().message));
  if (Result<PgResult> done = c.Exec("COMMIT"); !done) {
    return fail(db_.DatabaseError(done.error().message));
  }
  return {};
}

Status PostgresGovernanceStore::WriteKey(const StoredKey& key, bool replace,
                                         const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  const std::vector<PgParam> params = {key.id,           key.key_hash,      key.prefix,
                                       key.policy_json,  Int(key.created_ms), Int(key.updated_ms),
                                       OptionalInt(key.revoked_ms)};
  if (replace) {
    return Change("UPDATE virtual_keys SET key_hash = $2, prefix = $3, policy = $4::jsonb, "
                  "created_ms = $5::bigint, updated_ms = $6::bigint, revoked_ms = $7::bigint "
                  "WHERE id = $1 RETURNING id",
                  params, audit, /*expect_row=*/true);
  }
  return Change("INSERT INTO virtual_keys (id, key_hash, prefix, policy, created_ms, updated_ms, "
                "revoked_ms) VALUES ($1, $2, $3, $4::jsonb, $5::bigint, $6::bigint, $7::bigint)",
                params, audit, /*expect_row=*/false);
}

Result<std::vector<StoredKey>> PostgresGovernanceStore::Keys() {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "SELECT id, key_hash, prefix, policy::text, created_ms, updated_ms, revoked_ms "
      "FROM virtual_keys ORDER BY created_ms, id");
  if (!result) return result.error();
  std::vector<StoredKey> keys;
  for (int row = 0; row < result->rows(); ++row) {
    keys.push_back({result->Text(row, 0), result->Text(row, 1), result->Text(row, 2),
                    result->Text(row, 3), result->Int(row, 4), result->Int(row, 5),
                    result->OptionalInt(row, 6)});
  }
  return keys;
}

Status PostgresGovernanceStore::WriteBudget(const StoredBudget& budget, const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (budget.policy_json.empty()) {
    return Change("DELETE FROM budgets WHERE id = $1 RETURNING id", {budget.id}, audit,
                  /*expect_row=*/true);
  }
  return Change("INSERT INTO budgets (id, policy, created_ms, updated_ms) "
                "VALUES ($1, $2::jsonb, $3::bigint, $4::bigint) ON CONFLICT (id) DO UPDATE SET "
                "policy = excluded.policy, updated_ms = excluded.updated_ms",
                {budget.id, budget.policy_json, Int(budget.created_ms), Int(budget.updated_ms)},
                audit, /*expect_row=*/false);
}

Result<std::vector<StoredBudget>> PostgresGovernanceStore::Budgets() {
  std::lock_guard lock(mutex_);
  Result<PgResult> result =
      db_.Query("SELECT id, policy::text, created_ms, updated_ms FROM budgets ORDER BY id");
  if (!result) return result.error();
  std::vector<StoredBudget> budgets;
  for (int row = 0; row < result->rows(); ++row) {
    budgets.push_back({result->Text(row, 0), result->Text(row, 1), result->Int(row, 2),
                       result->Int(row, 3)});
  }
  return budgets;
}

Result<std::int64_t> PostgresGovernanceStore::Revision() {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query("SELECT revision FROM governance_revision");
  if (!result) return result.error();
  if (result->rows() == 0) return db_.DatabaseError("no governance revision");
  return result->Int(0, 0);
}

Result<std::vector<AuditEntry>> PostgresGovernanceStore::Audit(std::int64_t after, int limit) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "SELECT seq, time_ms, actor, action, target, before::text, after::text FROM audit_log "
      "WHERE seq > $1::bigint ORDER BY seq LIMIT $2::integer",
      {Int(after), Int(limit)});
  if (!result) return result.error();
  std::vector<AuditEntry> entries;
  for (int row = 0; row < result->rows(); ++row) {
    entries.push_back({result->Int(row, 0), result->Int(row, 1), result->Text(row, 2),
                       result->Text(row, 3), result->Text(row, 4), result->Text(row, 5),
                       result->Text(row, 6)});
  }
  return entries;
}

Result<std::vector<KeyDaySpend>> PostgresGovernanceStore::SpendByKeyAndDay(std::int64_t since_ms) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "SELECT coalesce(c.key_id, ''), coalesce(c.team, ''), c.time_ms / 86400000 AS day, "
      "coalesce(sum(a.cost_nanos), 0), count(*) FILTER (WHERE a.cost_nanos IS NULL) "
      "FROM calls c JOIN attempts a ON a.request_id = c.request_id WHERE c.time_ms >= $1::bigint "
      // An experiment's shadow and judge calls are its own spend (capped by judge.max_usd), not
      // the calling key's: the live counters never see them either.
      "AND a.kind NOT IN ('shadow', 'judge') "
      "GROUP BY 1, 2, 3",
      {Int(since_ms)});
  if (!result) return result.error();
  std::vector<KeyDaySpend> rows;
  for (int row = 0; row < result->rows(); ++row) {
    rows.push_back({result->Text(row, 0), result->Text(row, 1), result->Int(row, 2),
                    result->Int(row, 3), result->Int(row, 4)});
  }
  return rows;
}

}  // namespace switchyard::ledger

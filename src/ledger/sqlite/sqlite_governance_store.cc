#include "ledger/sqlite/sqlite_governance_store.h"

#include <fmt/format.h>

#include "ledger/sqlite/ledger_schema.h"

namespace switchyard::ledger {
namespace {

bool IsUniqueViolation(const std::string& message) {
  return message.find("UNIQUE constraint failed") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<SqliteGovernanceStore>> SqliteGovernanceStore::Open(const std::string& path) {
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/false);
  if (!db) return db.error();
  if (Status set = db->Exec("PRAGMA busy_timeout=5000;"); !set.ok()) return set.error();
  Result<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  if (Status schema = CreateLedgerSchema(*db, path); !schema.ok()) return schema.error();
  return std::unique_ptr<SqliteGovernanceStore>(new SqliteGovernanceStore(path, std::move(*db)));
}

Error SqliteGovernanceStore::DatabaseError(const std::string& message) const {
  return Error::Unavailable(fmt::format("the ledger {}: {}", path_, message));
}

Status SqliteGovernanceStore::AppendAudit(const AuditEntry& audit) {
  Result<SqliteStatement> stmt = db_.Prepare(
      "INSERT INTO audit_log (time_ms, actor, action, target, before, after) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return stmt.error();
  stmt->BindInt(1, audit.time_ms);
  stmt->BindText(2, audit.actor);
  stmt->BindText(3, audit.action);
  stmt->BindText(4, audit.target);
  stmt->BindTextOrNull(5, audit.before_json);
  stmt->BindTextOrNull(6, audit.after_json);
  return stmt->RunOnce();
}

Status SqliteGovernanceStore::InTransaction(const AuditEntry& audit,
                                            const std::function<Status()>& body) {
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    return DatabaseError(begun.error().message);
  }
  Status done = body();
  if (done.ok()) done = AppendAudit(audit);
  if (done.ok()) done = db_.Exec("UPDATE governance_revision SET revision = revision + 1");
  if (done.ok()) done = db_.Exec("COMMIT");
  if (!done.ok()) {
    (void)db_.Exec("ROLLBACK");
    const ErrorKind kind = done.error().kind;
    if (kind == ErrorKind::kConflict || kind == ErrorKind::kNotFound) return done;
    return DatabaseError(done.error().message);
  }
  return {};
}

Status SqliteGovernanceStore::WriteKey(const StoredKey& key, bool replace,
                                       const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction(audit, [&]() -> Status {
    Result<SqliteStatement> stmt = db_.Prepare(
        replace ? "UPDATE virtual_keys SET key_hash = ?2, prefix = ?3, policy = ?4, "
                  "created_ms = ?5, updated_ms = ?6, revoked_ms = ?7 WHERE id = ?1"
                : "INSERT INTO virtual_keys (id, key_hash, prefix, policy, created_ms, "
                  "updated_ms, revoked_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return stmt.error();
    stmt->BindText(1, key.id);
    stmt->BindText(2, key.key_hash);
    stmt->BindText(3, key.prefix);
    stmt->BindText(4, key.policy_json);
    stmt->BindInt(5, key.created_ms);
    stmt->BindInt(6, key.updated_ms);
    stmt->BindOptionalInt(7, key.revoked_ms);
    Status ran = stmt->RunOnce();
    if (!ran.ok() && IsUniqueViolation(ran.error().message)) {
      return Error::Conflict(fmt::format("a key with id {} or the same secret exists", key.id));
    }
    if (ran.ok() && replace && db_.changes() == 0) {
      return Error::NotFound(fmt::format("there is no key {}", key.id));
    }
    return ran;
  });
}

Result<std::vector<StoredKey>> SqliteGovernanceStore::Keys() {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "SELECT id, key_hash, prefix, policy, created_ms, updated_ms, revoked_ms FROM virtual_keys "
      "ORDER BY created_ms, id");
  if (!stmt) return DatabaseError(stmt.error().message);
  std::vector<StoredKey> keys;
  std::string error;
  while (stmt->Step(&error)) {
    keys.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Int(4),
                    stmt->Int(5), stmt->OptionalInt(6)});
  }
  if (!error.empty()) return DatabaseError(error);
  return keys;
}

Status SqliteGovernanceStore::WriteBudget(const StoredBudget& budget, const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction(audit, [&]() -> Status {
    Result<SqliteStatement> stmt = db_.Prepare(
        budget.policy_json.empty()
            ? "DELETE FROM budgets WHERE id = ?1"
            : "INSERT INTO budgets (id, policy, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, "
              "updated_ms = excluded.updated_ms");
    if (!stmt) return stmt.error();
    stmt->BindText(1, budget.id);
    if (!budget.policy_json.empty()) {
      stmt->BindText(2, budget.policy_json);
      stmt->BindInt(3, budget.created_ms);
      stmt->BindInt(4, budget.updated_ms);
    }
    Status ran = stmt->RunOnce();
    if (ran.ok() && budget.policy_json.empty() && db_.changes() == 0) {
      return Error::NotFound(fmt::format("there is no budget {}", budget.id));
    }
    return ran;
  });
}

Result<std::vector<StoredBudget>> SqliteGovernanceStore::Budgets() {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt =
      db_.Prepare("SELECT id, policy, created_ms, updated_ms FROM budgets ORDER BY id");
  if (!stmt) return DatabaseError(stmt.error().message);
  std::vector<StoredBudget> budgets;
  std::string error;
  while (stmt->Step(&error)) {
    budgets.push_back({stmt->Text(0), stmt->Text(1), stmt->Int(2), stmt->Int(3)});
  }
  if (!error.empty()) return DatabaseError(error);
  return budgets;
}

Result<std::int64_t> SqliteGovernanceStore::Revision() {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare("SELECT revision FROM governance_revision");
  if (!stmt) return DatabaseError(stmt.error().message);
  std::string error;
  if (!stmt->Step(&error)) return DatabaseError(error.empty() ? "no governance revision" : error);
  return stmt->Int(0);
}

Result<std::vector<AuditEntry>> SqliteGovernanceStore::Audit(std::int64_t after, int limit) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "SELECT seq, time_ms, actor, action, target, before, after FROM audit_log WHERE seq > ?1 "
      "ORDER BY seq LIMIT ?2");
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindInt(1, after);
  stmt->BindInt(2, limit);
  std::vector<AuditEntry> entries;
  std::string error;
  while (stmt->Step(&error)) {
    entries.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                       stmt->Text(5), stmt->Text(6)});
  }
  if (!error.empty()) return DatabaseError(error);
  return entries;
}

Result<std::vector<KeyDaySpend>> SqliteGovernanceStore::SpendByKeyAndDay(std::int64_t since_ms) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "SELECT coalesce(c.key_id, ''), coalesce(c.team, ''), c.time_ms / 86400000 AS day, "
      "coalesce(sum(a.cost_nanos), 0), sum(a.cost_nanos IS NULL) "
      "FROM calls c JOIN attempts a ON a.request_id = c.request_id WHERE c.time_ms >= ?1 "
      // An experiment's shadow and judge calls are its own spend (capped by judge.max_usd), not
      // the calling key's: the live counters never see them either.
      "AND a.kind NOT IN ('shadow', 'judge') "
      "GROUP BY 1, 2, 3");
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindInt(1, since_ms);
  std::vector<KeyDaySpend> rows;
  std::string error;
  while (stmt->Step(&error)) {
    rows.push_back({stmt->Text(0), stmt->Text(1), stmt->Int(2), stmt->Int(3), stmt->Int(4)});
  }
  if (!error.empty()) return DatabaseError(error);
  return rows;
}

}  // namespace switchyard::ledger

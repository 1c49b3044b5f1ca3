#include "ledger/sqlite/ledger_schema.h"

#include <fmt/format.h>

#include "ledger/migrations/migrations.h"

namespace switchyard::ledger {
namespace {

Result<bool> HasTable(SqliteDb& db, std::string_view name) {
  Result<SqliteStatement> stmt =
      db.Prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!stmt) return stmt.error();
  stmt->BindText(1, name);
  std::string error;
  const bool found = stmt->Step(&error);
  if (!error.empty()) return Error::Unavailable(error);
  return found;
}

// The stored version; 0 when the database has no schema_version row yet.
Result<int> ReadVersion(SqliteDb& db, const std::string& path) {
  Result<bool> has_version = HasTable(db, "schema_version");
  if (!has_version) {
    return Error::Unavailable(
        fmt::format("cannot read the ledger {}: {}", path, has_version.error().message));
  }
  if (!*has_version) return 0;
  Result<SqliteStatement> stmt = db.Prepare("SELECT max(version) FROM schema_version");
  if (!stmt) return stmt.error();
  std::string error;
  if (!stmt->Step(&error)) {
    if (!error.empty()) {
      return Error::Unavailable(fmt::format("cannot read the ledger {}: {}", path, error));
    }
    return 0;
  }
  return stmt->IsNull(0) ? 0 : static_cast<int>(stmt->Int(0));
}

Status CheckVersion(int version, const std::string& path) {
  if (version > kLedgerSchemaVersion) {
    return Error::Unavailable(fmt::format(
        "the ledger {} has schema version {}, newer than this switchyard reads ({}): upgrade "
        "switchyard", path, version, kLedgerSchemaVersion));
  }
  return {};
}

}  // namespace

Status CreateLedgerSchema(SqliteDb& db, const std::string& path) {
  // IMMEDIATE: two processes opening a new ledger at once must not both create the tables.
  if (Status begun = db.Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    return Error::Unavailable(
        fmt::format("cannot write the ledger {}: {}", path, begun.error().message));
  }
  auto fail = [&](const std::string& message) -> Status {
    (void)db.Exec("ROLLBACK");
    return Error::Unavailable(message);
  };
  Result<int> version = ReadVersion(db, path);
  if (!version) return fail(version.error().message);
  if (Status ok = CheckVersion(*version, path); !ok.ok()) return fail(ok.error().message);
  if (*version == kLedgerSchemaVersion) return db.Exec("COMMIT");

  if (*version == 0) {
    // A new file, or one that holds other tables: refuse to mix a ledger into a database that
    // already has a `calls` table of someone else's.
    Result<bool> has_calls = HasTable(db, "calls");
    if (!has_calls) return fail(has_calls.error().message);
    if (*has_calls) {
      return fail(fmt::format("{} is not a switchyard ledger (it has a calls table but no "
                              "schema_version)", path));
    }
    if (Status made = db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        !made.ok()) {
      return fail(fmt::format("cannot create the ledger schema in {}: {}", path,
                              made.error().message));
    }
  }
  for (const Migration& step : LedgerMigrations()) {
    if (step.version <= *version) continue;
    std::string sql(step.sqlite);
    // One row: the version the database is at now.
    sql += fmt::format("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({});",
                       step.version);
    if (Status done = db.Exec(sql); !done.ok()) {
      return fail(fmt::format("cannot upgrade the ledger {} to version {} ({}): {}", path,
                              step.version, step.what, done.error().message));
    }
  }
  if (Status committed = db.Exec("COMMIT"); !committed.ok()) {
    return fail(fmt::format("cannot create the ledger schema in {}: {}", path,
                            committed.error().message));
  }
  return {};
}

Status CheckLedgerSchema(SqliteDb& db, const std::string& path) {
  Result<int> version = ReadVersion(db, path);
  if (!version) return version.error();
  if (*version == 0) {
    return Error::Unavailable(fmt::format(
        "{} is not a switchyard ledger (no schema_version table)", path));
  }
  return CheckVersion(*version, path);
}

}  // namespace switchyard::ledger

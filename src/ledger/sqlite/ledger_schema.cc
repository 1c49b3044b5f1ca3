#include "ledger/sqlite/ledger_schema.h"

#include <fmt/format.h>

namespace switchyard::ledger {
namespace {

// Version 1. A later version adds a migration step from the version before it; rows already written
// are never rewritten in place. One index besides the keys: every reader filters by time first
// (spend, reconciliation) or looks a call up by its id; each further index costs the writer a
// b-tree insert per row that no query would use.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE calls (
  request_id      TEXT    PRIMARY KEY,
  time            TEXT    NOT NULL,
  time_ms         INTEGER NOT NULL,
  key_name        TEXT    NOT NULL,
  method          TEXT    NOT NULL,
  path            TEXT    NOT NULL,
  inbound         TEXT    NOT NULL,
  requested_model TEXT    NOT NULL,
  route           TEXT    NOT NULL,
  provider        TEXT    NOT NULL,
  model           TEXT    NOT NULL,
  status          INTEGER NOT NULL,
  stream          INTEGER NOT NULL,
  error           TEXT,
  latency_ms      INTEGER NOT NULL,
  ttft_ms         INTEGER,
  attempts        INTEGER NOT NULL,
  metadata        TEXT,
  cost_nanos      INTEGER,
  estimated       INTEGER NOT NULL,
  cache           TEXT
);
CREATE INDEX calls_by_time ON calls (time_ms);
CREATE TABLE attempts (
  request_id            TEXT    NOT NULL,
  n                     INTEGER NOT NULL,
  kind                  TEXT    NOT NULL,
  provider              TEXT    NOT NULL,
  model                 TEXT    NOT NULL,
  outcome               TEXT    NOT NULL,
  http_status           INTEGER NOT NULL,
  reason                TEXT    NOT NULL,
  input_tokens          INTEGER NOT NULL,
  cached_input_tokens   INTEGER NOT NULL,
  cache_write_tokens    INTEGER NOT NULL,
  cache_write_1h_tokens INTEGER NOT NULL,
  output_tokens         INTEGER NOT NULL,
  reasoning_tokens      INTEGER NOT NULL,
  usage_reported        INTEGER NOT NULL,
  cost_nanos            INTEGER,
  estimated             INTEGER NOT NULL,
  latency_ms            INTEGER NOT NULL,
  ttft_ms               INTEGER,
  PRIMARY KEY (request_id, n)
) WITHOUT ROWID;
)sql";

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

  // Version 0: a new file, or one that holds other tables. Refuse to mix a ledger into a database
  // that already has a `calls` table of someone else's.
  Result<bool> has_calls = HasTable(db, "calls");
  if (!has_calls) return fail(has_calls.error().message);
  if (*has_calls) {
    return fail(fmt::format("{} is not a switchyard ledger (it has a calls table but no "
                            "schema_version)", path));
  }
  std::string sql = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);";
  sql += kSchemaV1;
  sql += fmt::format("INSERT INTO schema_version (version) VALUES ({});", kLedgerSchemaVersion);
  if (Status created = db.Exec(sql); !created.ok()) {
    return fail(fmt::format("cannot create the ledger schema in {}: {}", path,
                            created.error().message));
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

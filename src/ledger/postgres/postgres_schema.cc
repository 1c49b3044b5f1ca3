#include "ledger/postgres/postgres_schema.h"

#include <fmt/format.h>

#include "ledger/migrations/migrations.h"
#include "ledger/schema_version.h"

namespace switchyard::ledger {
namespace {

// An arbitrary constant naming the ledger's schema lock among the database's advisory locks.
constexpr std::int64_t kSchemaLockId = 0x5357'4c45'4447'4552;  // "SWLEDGER"

// The stored version; 0 when the database has no schema_version table or row.
Result<int> ReadVersion(PgConnection& conn) {
  Result<PgResult> has = conn.Exec("SELECT to_regclass('schema_version') IS NOT NULL");
  if (!has) return has.error();
  if (!has->Bool(0, 0)) return 0;
  Result<PgResult> version = conn.Exec("SELECT max(version) FROM schema_version");
  if (!version) return version.error();
  return static_cast<int>(version->Int(0, 0));
}

Status CheckVersion(int version, const std::string& target) {
  if (version > kLedgerSchemaVersion) {
    return Error::Unavailable(fmt::format(
        "the PostgreSQL ledger at {} has schema version {}, newer than this switchyard reads ({}): "
        "upgrade switchyard", target, version, kLedgerSchemaVersion));
  }
  return {};
}

}  // namespace

Status CreatePostgresLedgerSchema(PgConnection& conn) {
  const std::string& target = conn.target();
  auto fail = [&](const std::string& message) -> Status {
    (void)conn.Exec("ROLLBACK");
    return Error::Unavailable(
        fmt::format("cannot create the ledger schema in PostgreSQL at {}: {}", target, message));
  };
  if (Result<PgResult> begun = conn.Exec("BEGIN"); !begun) return fail(begun.error().message);
  Result<PgResult> locked =
      conn.Exec(fmt::format("SELECT pg_advisory_xact_lock({})", kSchemaLockId));
  if (!locked) return fail(locked.error().message);
  Result<int> version = ReadVersion(conn);
  if (!version) return fail(version.error().message);
  if (Status ok = CheckVersion(*version, target); !ok.ok()) {
    (void)conn.Exec("ROLLBACK");
    return ok;
  }
  if (*version == 0) {
    Result<PgResult> calls = conn.Exec("SELECT to_regclass('calls') IS NOT NULL");
    if (!calls) return fail(calls.error().message);
    if (calls->Bool(0, 0)) {
      (void)conn.Exec("ROLLBACK");
      return Error::Unavailable(fmt::format(
          "the database at {} is not a switchyard ledger (it has a calls table but no "
          "schema_version)", target));
    }
    Result<PgResult> made =
        conn.Exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
    if (!made) return fail(made.error().message);
  }
  for (const Migration& step : LedgerMigrations()) {
    if (step.version <= *version) continue;
    std::string sql(step.postgres);
    // One row: the version the database is at now.
    sql += fmt::format("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({});",
                       step.version);
    if (Result<PgResult> done = conn.Exec(sql); !done) {
      return fail(fmt::format("upgrading to version {} ({}): {}", step.version, step.what,
                              done.error().message));
    }
  }
  if (Result<PgResult> committed = conn.Exec("COMMIT"); !committed) {
    return fail(committed.error().message);
  }
  return {};
}

Status CheckPostgresLedgerSchema(PgConnection& conn) {
  Result<int> version = ReadVersion(conn);
  if (!version) {
    return Error::Unavailable(fmt::format("cannot read the PostgreSQL ledger at {}: {}",
                                          conn.target(), version.error().message));
  }
  if (*version == 0) {
    return Error::Unavailable(fmt::format(
        "there is no ledger in the PostgreSQL database at {}: the gateway creates it when it "
        "first starts with this ledger URL", conn.target()));
  }
  return CheckVersion(*version, conn.target());
}

}  // namespace switchyard::ledger

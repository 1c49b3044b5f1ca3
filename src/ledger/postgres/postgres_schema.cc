#include "ledger/postgres/postgres_schema.h"

#include <fmt/format.h>

#include "ledger/schema_version.h"

namespace switchyard::ledger {
namespace {

// Version 1, the SQLite ledger's version 1 in PostgreSQL types.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE calls (
  request_id      text        PRIMARY KEY,
  time            timestamptz NOT NULL,
  time_ms         bigint      NOT NULL,
  key_name        text        NOT NULL,
  method          text        NOT NULL,
  path            text        NOT NULL,
  inbound         text        NOT NULL,
  requested_model text        NOT NULL,
  route           text        NOT NULL,
  provider        text        NOT NULL,
  model           text        NOT NULL,
  status          integer     NOT NULL,
  stream          boolean     NOT NULL,
  error           text,
  latency_ms      bigint      NOT NULL,
  ttft_ms         bigint,
  attempts        integer     NOT NULL,
  metadata        jsonb,
  cost_nanos      bigint,
  estimated       boolean     NOT NULL,
  cache           text
);
CREATE INDEX calls_by_time ON calls (time_ms);
CREATE TABLE attempts (
  request_id            text    NOT NULL,
  n                     integer NOT NULL,
  kind                  text    NOT NULL,
  provider              text    NOT NULL,
  model                 text    NOT NULL,
  outcome               text    NOT NULL,
  http_status           integer NOT NULL,
  reason                text    NOT NULL,
  input_tokens          bigint  NOT NULL,
  cached_input_tokens   bigint  NOT NULL,
  cache_write_tokens    bigint  NOT NULL,
  cache_write_1h_tokens bigint  NOT NULL,
  output_tokens         bigint  NOT NULL,
  reasoning_tokens      bigint  NOT NULL,
  usage_reported        boolean NOT NULL,
  cost_nanos            bigint,
  estimated             boolean NOT NULL,
  latency_ms            bigint  NOT NULL,
  ttft_ms               bigint,
  PRIMARY KEY (request_id, n)
);
)sql";

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
    std::string sql = "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);";
    sql += kSchemaV1;
    sql += fmt::format("INSERT INTO schema_version (version) VALUES ({});", kLedgerSchemaVersion);
    if (Result<PgResult> created = conn.Exec(sql); !created) return fail(created.error().message);
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

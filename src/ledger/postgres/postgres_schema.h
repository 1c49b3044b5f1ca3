// PostgresSchema: the PostgreSQL ledger's tables — the same columns and meaning as the SQLite ledger
// (sqlite/ledger_schema.h), in PostgreSQL types: money as BIGINT nano-dollars (NULL: price unknown,
// never $0), `time` as timestamptz beside `time_ms` (BIGINT epoch ms, what range filters compare),
// flags as boolean, and the call's metadata as jsonb (tags are read with ->>). Versioned by the
// one-row `schema_version` table, with the same version numbers as the SQLite ledger
// (ledger/schema_version.h).
//
// Creation is idempotent and safe when several gateway instances start at once (a transaction-scoped
// advisory lock serializes them). Stateless functions; the caller owns the connection.
#pragma once

#include "core/result.h"
#include "ledger/postgres/pg_conn.h"

namespace switchyard::ledger {

// Creates the tables and indexes when the database has no ledger yet; leaves an existing ledger of
// this version untouched. Fails on a newer schema version, or when the database has a `calls` table
// that is not a switchyard ledger's.
Status CreatePostgresLedgerSchema(PgConnection& conn);

// Checks that the database holds a ledger of a version this build reads.
Status CheckPostgresLedgerSchema(PgConnection& conn);

}  // namespace switchyard::ledger

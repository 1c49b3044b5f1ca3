// LedgerSchema: the SQLite ledger's tables, versioned by the one-row `schema_version` table, and the
// check that a database is a ledger this build can read. The writer creates the schema; readers only
// check it. Money columns are INTEGER nano-dollars (DESIGN.md "Money"); NULL cost means the price was
// unknown, never $0.
//
//   calls    (request_id TEXT PK, time TEXT ISO-8601 UTC ms, time_ms INTEGER epoch ms, key_name,
//             method, path, inbound, requested_model, route, provider, model, status INTEGER,
//             stream INTEGER 0|1, error TEXT NULL, latency_ms, ttft_ms NULL, attempts INTEGER,
//             metadata TEXT JSON NULL, cost_nanos INTEGER NULL, estimated INTEGER 0|1, cache TEXT NULL)
//   attempts (request_id, n — PK together; kind, provider, model, outcome, http_status, reason,
//             input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens,
//             output_tokens, reasoning_tokens, usage_reported 0|1, cost_nanos NULL, estimated 0|1,
//             latency_ms, ttft_ms NULL)
//
// Stateless functions; the caller owns the connection and its thread.
#pragma once

#include "core/result.h"
#include "ledger/schema_version.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger {

// Creates the tables and indexes when the database is new, in one transaction; leaves an existing
// ledger of this version untouched (idempotent). Fails on a newer or unknown schema version, or on a
// database that is not a ledger, with a message naming `path`.
Status CreateLedgerSchema(SqliteDb& db, const std::string& path);

// Checks that `db` holds a ledger of a version this build reads. Fails with a message naming `path`.
Status CheckLedgerSchema(SqliteDb& db, const std::string& path);

}  // namespace switchyard::ledger

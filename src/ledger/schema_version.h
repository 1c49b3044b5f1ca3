// The ledger's schema version, one number for both backends: the SQLite ledger
// (sqlite/ledger_schema.h) and the PostgreSQL ledger (postgres/postgres_schema.h) hold the same
// columns with the same meaning, each in its own types, and move to a new version together.
#pragma once

namespace switchyard::ledger {

inline constexpr int kLedgerSchemaVersion = 5;

}  // namespace switchyard::ledger

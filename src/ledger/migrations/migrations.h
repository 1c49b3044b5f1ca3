// LedgerMigrations: every version of the ledger's schema, as the step from the version before it,
// in both backends' SQL side by side so that they move together (ledger/schema_version.h). A new
// database runs every step in order; an existing one runs the steps after its stored version. A step
// only adds (tables, columns, indexes): rows already written are never rewritten in place, so an
// older switchyard's rows read the same after an upgrade.
//
// Each backend's schema code (sqlite/ledger_schema.h, postgres/postgres_schema.h) runs the steps in
// one transaction with the version row, so a crash mid-upgrade leaves the old version whole.
#pragma once

#include <span>
#include <string_view>

namespace switchyard::ledger {

struct Migration {
  int version;               // the version this step makes
  std::string_view what;     // one line, for logs
  std::string_view sqlite;   // the step in SQLite's SQL
  std::string_view postgres; // the same step in PostgreSQL's
};

// Steps 1..kLedgerSchemaVersion, in order.
std::span<const Migration> LedgerMigrations();

}  // namespace switchyard::ledger

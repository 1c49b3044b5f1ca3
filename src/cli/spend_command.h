// `switchyard spend` (CONTRACT.md "Binary and commands"): reads the SQLite ledger that a config
// names (or the embedded default, ./switchyard-data/ledger.db) and prints spend per group, or the
// reconciliation report, as a table, CSV or JSON on stdout. Errors go to stderr as one sentence.
#pragma once

#include <string>

namespace switchyard::cli {

struct SpendOptions {
  std::string config_path;  // empty: the embedded defaults' ledger
  std::string since;        // ISO-8601, inclusive; empty: from the first call
  std::string until;        // ISO-8601, exclusive; empty: to the last call
  std::string group_by;     // key | model | provider | route | day | tag:NAME; empty: model
  std::string format;       // table | csv | json; empty: table
  std::string report;       // empty: spend; "reconcile": per day, provider and model
};

// Returns the exit code: 0 ok; 2 bad usage or config (bad option, config problems, a ledger
// backend this command does not read); 1 runtime failure (no ledger at the path, database error).
int Spend(const SpendOptions& options);

}  // namespace switchyard::cli

// LedgerReader: the LedgerStore (ledger_store.h) of the SQLite ledger that SqliteLedgerSink writes.
//
// Opens its own read-only connection: in WAL mode it reads a consistent snapshot while the gateway
// writes. Thread-safe: queries are serialized on an internal mutex. Each query runs synchronously
// (it reads the disk): keep it off the request path's event loops.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ledger/query/ledger_store.h"
#include "ledger/query/spend_query.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger {

class LedgerReader : public LedgerStore {
 public:
  // Opens the ledger at `path` read-only. Fails with one sentence naming the path when there is no
  // file there, when it cannot be opened, or when it is not a ledger this build reads.
  static Result<std::unique_ptr<LedgerReader>> Open(const std::string& path);

  Result<std::vector<SpendRow>> Spend(const SpendQuery& query) override;
  Result<std::vector<ReconcileRow>> Reconcile(const TimeRange& range) override;
  Result<CallRow> FindRequest(std::string_view request_id) override;

  const std::string& path() const { return path_; }

 private:
  LedgerReader(std::string path, SqliteDb db) : path_(std::move(path)), db_(std::move(db)) {}
  Error DatabaseError(const std::string& message) const;

  const std::string path_;
  std::mutex mutex_;
  SqliteDb db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

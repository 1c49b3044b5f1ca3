// PostgresLedgerReader: the LedgerStore (ledger_store.h) of the PostgreSQL ledger that
// PostgresLedgerSink writes. The SQL is the SQLite reader's in PostgreSQL's dialect (tags read from
// the jsonb metadata with ->>, days from the timestamptz in UTC); the rows are merged and ordered by
// the shared SpendRowsBuilder (spend_rows.h), so both backends answer alike.
//
// Holds its own connection, opened at Open and opened again on the next query after it is lost.
// A spend query reads in one REPEATABLE READ transaction, so calls and attempts agree.
// Thread-safe: queries are serialized on an internal mutex. Each query runs synchronously (it waits
// on the network): keep it off the request path's event loops. The URL is a secret: errors name the
// host, port and database only.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "ledger/postgres/pg_conn.h"
#include "ledger/postgres/pg_ledger_connection.h"
#include "ledger/query/ledger_store.h"

namespace switchyard::ledger {

class PostgresLedgerReader : public LedgerStore {
 public:
  // Connects to `url` and checks that the database holds a ledger this build reads. Fails with one
  // sentence naming the host and database.
  static Result<std::unique_ptr<PostgresLedgerReader>> Open(const std::string& url);

  Result<std::vector<SpendRow>> Spend(const SpendQuery& query) override;
  Result<std::vector<ReconcileRow>> Reconcile(const TimeRange& range) override;
  Result<CallRow> FindRequest(std::string_view request_id) override;

  const std::string& target() const { return db_.target(); }

 private:
  explicit PostgresLedgerReader(PgLedgerConnection db) : db_(std::move(db)) {}
  // "cannot read the PostgreSQL ledger at TARGET: MESSAGE": the reader words its errors itself,
  // not with db_.DatabaseError.
  Error DatabaseError(const std::string& message) const;
  // Runs `query` inside a read-only REPEATABLE READ transaction. Call under mutex_.
  template <class T, class F>
  Result<T> InReadTransaction(F&& query);

  std::mutex mutex_;
  PgLedgerConnection db_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ledger/postgres/pg_conn.h"
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

  const std::string& target() const { return target_; }

 private:
  PostgresLedgerReader(std::string url, PgConnection conn)
      : url_(std::move(url)), target_(conn.target()), conn_(std::move(conn)) {}
  // The connection, connected again when it was lost. Call under mutex_.
  Result<PgConnection*> Connection();
  Error DatabaseError(const std::string& message) const;
  // Runs `query` inside a read-only REPEATABLE READ transaction. Call under mutex_.
  template <class T, class F>
  Result<T> InReadTransaction(F&& query);

  const std::string url_;  // a secret: for reconnecting only
  const std::string target_;
  std::mutex mutex_;
  std::optional<PgConnection> conn_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::ledger

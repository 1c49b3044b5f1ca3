// PgLedgerConnection: the PostgreSQL ledger's connection as the stores and the reader hold it, one
// query at a time: connected again on the next use after it was lost, so that a server restart
// costs the queries in flight, not the gateway. Errors name the ledger by its target
// ("HOST:PORT/DATABASE", PgConnection::target()), never by the URL, which may hold a password.
//
// Thread-safety: none. The owner serializes every call (the stores and the reader under their own
// mutex).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "ledger/postgres/pg_conn.h"

namespace switchyard::ledger {

class PgLedgerConnection {
 public:
  // What Open makes of the database once connected: CreatePostgresLedgerSchema for an owner that
  // writes, CheckPostgresLedgerSchema for one that only reads (postgres_schema.h).
  using SchemaStep = Status (*)(PgConnection&);

  // A Config error when `url` is empty (the ledger config lacks `url:`); otherwise connects and
  // runs `schema`, failing with their one sentence naming the target.
  static Result<PgLedgerConnection> Open(const std::string& url, SchemaStep schema);

  // The connection, connected again first when it was lost (PgConnection::broken()).
  Result<PgConnection*> Connection();
  // Runs one statement on Connection(); the statement's failure comes back as DatabaseError.
  Result<PgResult> Query(std::string_view sql, const std::vector<PgParam>& params = {});
  // Unavailable, "the PostgreSQL ledger at TARGET: MESSAGE".
  Error DatabaseError(const std::string& message) const;

  const std::string& target() const { return target_; }

 private:
  PgLedgerConnection(std::string url, PgConnection conn)
      : url_(std::move(url)), target_(conn.target()), conn_(std::move(conn)) {}

  std::string url_;  // a secret: for reconnecting only
  std::string target_;
  std::optional<PgConnection> conn_;  // empty after a failed reconnect: try again on the next use
};

}  // namespace switchyard::ledger

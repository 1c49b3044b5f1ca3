#include "ledger/postgres/pg_ledger_connection.h"

#include <fmt/format.h>

#include <utility>

namespace switchyard::ledger {

Result<PgLedgerConnection> PgLedgerConnection::Open(const std::string& url, SchemaStep schema) {
  if (url.empty()) return Error::Config("the PostgreSQL ledger needs `url:` in the ledger config");
  Result<PgConnection> conn = PgConnection::Connect(url);
  if (!conn) return conn.error();
  if (Status prepared = schema(*conn); !prepared.ok()) return prepared.error();
  return PgLedgerConnection(url, std::move(*conn));
}

Result<PgConnection*> PgLedgerConnection::Connection() {
  if (!conn_ || conn_->broken()) {
    conn_.reset();
    Result<PgConnection> conn = PgConnection::Connect(url_);
    if (!conn) return conn.error();
    conn_ = std::move(*conn);
  }
  return &*conn_;
}

Result<PgResult> PgLedgerConnection::Query(std::string_view sql,
                                           const std::vector<PgParam>& params) {
  Result<PgConnection*> conn = Connection();
  if (!conn) return conn.error();
  Result<PgResult> result = (*conn)->Exec(sql, params);
  if (!result) return DatabaseError(result.error().message);
  return result;
}

Error PgLedgerConnection::DatabaseError(const std::string& message) const {
  return Error::Unavailable(fmt::format("the PostgreSQL ledger at {}: {}", target_, message));
}

}  // namespace switchyard::ledger

// PgConnection and PgResult: thin RAII owners of a libpq connection and a query result, for the
// PostgreSQL ledger (postgres_ledger_sink.h, postgres_ledger_reader.h). libpq-fe.h stays out of
// headers.
//
// The connection URL is a secret (it may hold a password): no message from here quotes it. Errors
// name the target as "HOST:PORT/DATABASE" (target()), and libpq's own messages are scrubbed of the
// URL and the password before they are returned. A URL libpq cannot parse is reported without
// libpq's text, which may echo a piece of it.
//
// Thread-safety: none. A connection is used by one thread at a time (the sink's writer thread, or a
// reader under its mutex).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct pg_conn;
struct pg_result;

namespace switchyard::ledger {

class PgResult {
 public:
  PgResult(PgResult&&) noexcept;
  PgResult& operator=(PgResult&&) noexcept;
  ~PgResult();

  int rows() const;
  // 0-based row and column. Text() is "" for NULL; Int() reads a whole number (bigint or a numeric
  // sum), 0 for NULL.
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  std::int64_t Int(int row, int column) const;
  std::optional<std::int64_t> OptionalInt(int row, int column) const;
  std::optional<std::string> OptionalText(int row, int column) const;
  bool Bool(int row, int column) const;  // "t"

 private:
  friend class PgConnection;
  explicit PgResult(pg_result* result) : result_(result) {}
  pg_result* result_ = nullptr;
};

// A query parameter in text form; empty means SQL NULL.
using PgParam = std::optional<std::string>;

class PgConnection {
 public:
  // Connects to `url` (a postgresql:// URI or a key=value string), with a 10 s connect timeout
  // unless the URL sets one. Fails with one sentence naming the host and database only.
  static Result<PgConnection> Connect(std::string_view url);
  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  // Runs `sql` (one or more statements without parameters, or one with `params` as $1, $2, ...).
  // Fails with the server's message (scrubbed) when the statement fails.
  Result<PgResult> Exec(std::string_view sql, const std::vector<PgParam>& params = {});

  bool broken() const;  // the connection is lost: make a new one
  const std::string& target() const { return target_; }

 private:
  PgConnection(pg_conn* conn, std::string target, std::string url, std::string password)
      : conn_(conn), target_(std::move(target)), url_(std::move(url)),
        password_(std::move(password)) {}
  std::string Scrub(std::string message) const;

  pg_conn* conn_ = nullptr;
  std::string target_;
  std::string url_;       // for scrubbing messages only
  std::string password_;  // likewise
};

}  // namespace switchyard::ledger

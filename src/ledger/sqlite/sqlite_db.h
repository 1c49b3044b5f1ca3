// SqliteDb and SqliteStatement: thin RAII owners of a SQLite connection and a prepared statement,
// so that the ledger's writer and reader never leak a handle on an error path and report SQLite's
// own message in one sentence. sqlite3.h stays out of headers.
//
// Thread-safety: none. A connection and its statements are used by one thread at a time (the
// ledger's writer thread, or a reader under its mutex).
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace switchyard::ledger {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens `path`: read-write and created when missing (`read_only` false), or read-only and never
  // created. On failure the message names the path and SQLite's reason.
  static Result<SqliteDb> Open(const std::string& path, bool read_only);

  SqliteDb(SqliteDb&&) noexcept;
  SqliteDb& operator=(SqliteDb&&) noexcept;
  ~SqliteDb();

  // Runs one or more statements that return no rows we need. Fails with SQLite's message.
  Status Exec(std::string_view sql);
  // Prepares one statement; the statement must not outlive this connection.
  Result<SqliteStatement> Prepare(std::string_view sql);
  // A pragma's single text answer (e.g. "PRAGMA journal_mode=WAL" → "wal").
  Result<std::string> QueryText(std::string_view sql);

  std::string LastError() const;  // SQLite's message for the last failed call on this connection
  int changes() const;            // rows changed by the last INSERT/UPDATE/DELETE
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&&) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) noexcept;
  ~SqliteStatement();

  // Binders take 1-based indexes. The text is not copied (SQLITE_STATIC: copying cost the ledger
  // writer a malloc per column): it must stay valid until the parameter is bound again,
  // ClearBindings() runs or the statement is destroyed. Binding a temporary std::string, which
  // would dangle, does not compile.
  void BindText(int index, std::string_view text);
  template <typename T>
    requires(!std::is_lvalue_reference_v<T> && std::same_as<std::remove_cv_t<T>, std::string>)
  void BindText(int index, T&& text) = delete;
  void BindInt(int index, std::int64_t value);
  void BindOptionalInt(int index, const std::optional<std::int64_t>& value);  // NULL when empty
  void BindNull(int index);
  // NULL for "" (a column where "" means absent), else as BindText: the same lifetime rule, and so
  // the same ban on a temporary.
  void BindTextOrNull(int index, const std::string& text);
  void BindTextOrNull(int index, std::string&& text) = delete;

  // One step: true when a row is ready, false when done; an error sets `*error` (then false).
  bool Step(std::string* error);
  // One step of a bound statement that returns no rows; fails with SQLite's message. Does not
  // Reset(): a statement run once is not run again.
  Status RunOnce();
  // Resets for the next execution. The bindings stay: a statement run once per row rebinds every
  // parameter anyway, and clearing them each time was measurable.
  void Reset();
  // Sets every parameter to NULL, e.g. so that none still points at text about to be freed.
  void ClearBindings();

  // Column readers, 0-based, valid after Step() returned true.
  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;  // "" for NULL

 private:
  friend class SqliteDb;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace switchyard::ledger

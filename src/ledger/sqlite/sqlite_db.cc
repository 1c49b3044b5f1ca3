#include "ledger/sqlite/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <utility>

namespace switchyard::ledger {
namespace {

// SQLite's memory statistics (sqlite3_memory_used, the heap limits: nothing here reads them) take a
// global mutex around every malloc and free, ~10% of the ledger writer's instructions per call.
// They can only be turned off before SQLite initializes, which the first connection's open does;
// if something else initialized SQLite first, the call fails and changes nothing.
void DisableMemoryStatistics() {
  static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)once;
}

}  // namespace

Result<SqliteDb> SqliteDb::Open(const std::string& path, bool read_only) {
  DisableMemoryStatistics();
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is confined to one thread at a time (see the header), so SQLite's
  // own per-connection mutex would only cost time.
  const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);  // a handle is returned even on failure; closing nullptr is a no-op
    return Error::Unavailable(fmt::format("cannot open the ledger database {}: {}", path, reason));
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteDb(db);
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

SqliteDb::~SqliteDb() {
  // sqlite3_close (not _v2) fails while statements are open; every statement is owned by an object
  // destroyed before its connection, so this closes.
  sqlite3_close(db_);
}

Status SqliteDb::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string reason = message != nullptr ? message : LastError();
    sqlite3_free(message);
    return Error::Unavailable(std::move(reason));
  }
  return {};
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return Error::Unavailable(LastError());
  }
  return SqliteStatement(stmt);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  Result<SqliteStatement> stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  std::string error;
  if (!stmt->Step(&error)) {
    return Error::Unavailable(error.empty() ? "the statement returned no row" : error);
  }
  return stmt->Text(0);
}

std::string SqliteDb::LastError() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "closed"; }

int SqliteDb::changes() const { return sqlite3_changes(db_); }

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::BindText(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::BindInt(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

void SqliteStatement::BindOptionalInt(int index, const std::optional<std::int64_t>& value) {
  if (value) {
    sqlite3_bind_int64(stmt_, index, *value);
  } else {
    sqlite3_bind_null(stmt_, index);
  }
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

void SqliteStatement::BindTextOrNull(int index, const std::string& text) {
  if (text.empty()) {
    BindNull(index);
  } else {
    BindText(index, text);
  }
}

bool SqliteStatement::Step(std::string* error) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) *error = sqlite3_errmsg(sqlite3_db_handle(stmt_));
  return false;
}

Status SqliteStatement::RunOnce() {
  std::string error;
  Step(&error);
  if (!error.empty()) return Error::Unavailable(std::move(error));
  return {};
}

void SqliteStatement::Reset() { sqlite3_reset(stmt_); }

void SqliteStatement::ClearBindings() { sqlite3_clear_bindings(stmt_); }

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> SqliteStatement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

}  // namespace switchyard::ledger

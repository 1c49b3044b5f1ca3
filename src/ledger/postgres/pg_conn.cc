#include "ledger/postgres/pg_conn.h"

#include "ledger/postgres/libpq.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <utility>

namespace switchyard::ledger {
namespace {

// The parsed connection options of `url`; empty when libpq cannot parse it.
struct ConnInfo {
  std::string host, port, dbname, password;
};

// REQUIRES: LoadLibPq() succeeded.
std::optional<ConnInfo> ParseConnInfo(std::string_view url) {
  char* error = nullptr;
  const std::string text(url);
  PQconninfoOption* options = Pq().PQconninfoParse(text.c_str(), &error);
  if (error != nullptr) Pq().PQfreemem(error);  // never shown: it may quote the URL
  if (options == nullptr) return std::nullopt;
  ConnInfo info;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::strcmp(o->keyword, "host") == 0) info.host = o->val;
    if (std::strcmp(o->keyword, "hostaddr") == 0 && info.host.empty()) info.host = o->val;
    if (std::strcmp(o->keyword, "port") == 0) info.port = o->val;
    if (std::strcmp(o->keyword, "dbname") == 0) info.dbname = o->val;
    if (std::strcmp(o->keyword, "password") == 0) info.password = o->val;
  }
  Pq().PQconninfoFree(options);
  return info;
}

std::string Describe(const ConnInfo& info) {
  return fmt::format("{}:{}/{}", info.host.empty() ? "localhost" : info.host,
                     info.port.empty() ? "5432" : info.port,
                     info.dbname.empty() ? "(default database)" : info.dbname);
}

// libpq's messages span lines ("...\n\tThis probably means..."): one line for a log, trimmed.
std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void ReplaceAll(std::string& text, std::string_view what) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at)) {
    text.replace(at, what.size(), "[redacted]");
    at += 10;
  }
}

}  // namespace

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) Pq().PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_ != nullptr) Pq().PQclear(result_);
}

int PgResult::rows() const { return Pq().PQntuples(result_); }
bool PgResult::IsNull(int row, int column) const {
  return Pq().PQgetisnull(result_, row, column) != 0;
}
std::string PgResult::Text(int row, int column) const {
  return std::string(Pq().PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(Pq().PQgetlength(result_, row, column)));
}
std::int64_t PgResult::Int(int row, int column) const {
  const char* text = Pq().PQgetvalue(result_, row, column);
  const char* end = text + Pq().PQgetlength(result_, row, column);
  std::int64_t value = 0;
  std::from_chars(text, end, value);  // NULL ("") and non-numbers read as 0
  return value;
}
std::optional<std::int64_t> PgResult::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}
std::optional<std::string> PgResult::OptionalText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Text(row, column);
}
bool PgResult::Bool(int row, int column) const {
  return Pq().PQgetlength(result_, row, column) > 0 &&
         Pq().PQgetvalue(result_, row, column)[0] == 't';
}

Result<PgConnection> PgConnection::Connect(std::string_view url) {
  if (auto libpq = LoadLibPq(); !libpq) return std::move(libpq).error();
  std::optional<ConnInfo> info = ParseConnInfo(url);
  if (!info) {
    return Error::Config("the PostgreSQL ledger URL is not a valid connection URI or key=value "
                         "string (it is not shown: it may hold a password)");
  }
  const std::string target = Describe(*info);
  const std::string text(url);
  // Earlier keywords are defaults: the URL (expanded from dbname) overrides them.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "switchyard", text.c_str(), nullptr};
  pg_conn* conn = Pq().PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return Error::Unavailable(fmt::format("cannot connect to the PostgreSQL ledger at {}: out of "
                                          "memory", target));
  }
  PgConnection connection(conn, target, text, info->password);
  if (Pq().PQstatus(conn) != CONNECTION_OK) {
    return Error::Unavailable(fmt::format("cannot connect to the PostgreSQL ledger at {}: {}",
                                          target, connection.Scrub(Pq().PQerrorMessage(conn))));
  }
  // Quiet: CREATE ... IF NOT EXISTS notices are not news.
  Pq().PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return connection;
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      target_(std::move(other.target_)),
      url_(std::move(other.url_)),
      password_(std::move(other.password_)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) Pq().PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    target_ = std::move(other.target_);
    url_ = std::move(other.url_);
    password_ = std::move(other.password_);
  }
  return *this;
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) Pq().PQfinish(conn_);
}

std::string PgConnection::Scrub(std::string message) const {
  ReplaceAll(message, url_);
  if (password_.size() >= 3) ReplaceAll(message, password_);
  return OneLine(message);
}

bool PgConnection::broken() const {
  return conn_ == nullptr || Pq().PQstatus(conn_) != CONNECTION_OK;
}

Result<PgResult> PgConnection::Exec(std::string_view sql, const std::vector<PgParam>& params) {
  const std::string text(sql);
  pg_result* raw = nullptr;
  if (params.empty()) {
    raw = Pq().PQexec(conn_, text.c_str());
  } else {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const PgParam& param : params) values.push_back(param ? param->c_str() : nullptr);
    raw = Pq().PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                       values.data(), nullptr, nullptr, /*resultFormat=*/0);
  }
  PgResult result(raw);
  const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : Pq().PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* message =
        raw != nullptr ? Pq().PQresultErrorMessage(raw) : Pq().PQerrorMessage(conn_);
    return Error::Unavailable(Scrub(message != nullptr ? message : "unknown error"));
  }
  return result;
}

}  // namespace switchyard::ledger

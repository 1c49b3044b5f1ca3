#include "ledger/postgres/postgres_ledger_sink.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/ledger_time.h"
#include "ledger/postgres/postgres_schema.h"
#include "ledger/sinks/access_log_sink.h"

namespace switchyard::ledger {
namespace {

// The columns of each table with the type each text parameter is cast to.
struct Column {
  std::string_view name;
  std::string_view type;
};

constexpr Column kCallColumns[] = {
    {"request_id", "text"}, {"time", "timestamptz"}, {"time_ms", "bigint"},
    {"key_name", "text"}, {"method", "text"}, {"path", "text"}, {"inbound", "text"},
    {"requested_model", "text"}, {"route", "text"}, {"provider", "text"}, {"model", "text"},
    {"status", "integer"}, {"stream", "boolean"}, {"error", "text"}, {"latency_ms", "bigint"},
    {"ttft_ms", "bigint"}, {"attempts", "integer"}, {"metadata", "jsonb"},
    {"cost_nanos", "bigint"}, {"estimated", "boolean"}, {"cache", "text"},
    {"key_id", "text"}, {"team", "text"}, {"budget_alert", "text"}, {"guardrails", "text"},
    {"variant", "text"}, {"epoch", "text"}};

constexpr Column kAttemptColumns[] = {
    {"request_id", "text"}, {"n", "integer"}, {"kind", "text"}, {"provider", "text"},
    {"model", "text"}, {"outcome", "text"}, {"http_status", "integer"}, {"reason", "text"},
    {"input_tokens", "bigint"}, {"cached_input_tokens", "bigint"},
    {"cache_write_tokens", "bigint"}, {"cache_write_1h_tokens", "bigint"},
    {"output_tokens", "bigint"}, {"reasoning_tokens", "bigint"}, {"usage_reported", "boolean"},
    {"cost_nanos", "bigint"}, {"estimated", "boolean"}, {"latency_ms", "bigint"},
    {"ttft_ms", "bigint"}, {"saved_nanos", "bigint"}};

// The protocol allows 65535 parameters per statement; rows beyond that go in another INSERT.
constexpr std::size_t kMaxParams = 65535;

template <std::size_t N>
std::size_t RowsPerStatement(const Column (&)[N]) { return kMaxParams / N; }

// "INSERT INTO table (cols) VALUES ($1::t, ...), (...) ON CONFLICT DO NOTHING RETURNING ...".
template <std::size_t N>
std::string InsertSql(std::string_view table, const Column (&columns)[N], std::size_t rows,
                      std::string_view returning) {
  std::string sql = fmt::format("INSERT INTO {} (", table);
  for (std::size_t c = 0; c < N; ++c) sql += fmt::format("{}{}", c ? ", " : "", columns[c].name);
  sql += ") VALUES ";
  std::size_t param = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t c = 0; c < N; ++c) {
      sql += fmt::format("{}${}::{}", c ? ", " : "", param++, columns[c].type);
    }
    sql += ")";
  }
  sql += fmt::format(" ON CONFLICT DO NOTHING RETURNING {}", returning);
  return sql;
}

PgParam Text(std::string_view text) { return std::string(text); }
PgParam TextOrNull(const std::string& text) { return text.empty() ? PgParam() : text; }
PgParam Int(std::int64_t value) { return std::to_string(value); }
PgParam OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? PgParam(std::to_string(*value)) : PgParam();
}
PgParam Bool(bool value) { return std::string(value ? "t" : "f"); }

// Metadata is validated JSON when recorded; anything else is kept whole as a JSON string rather
// than failing the batch (a string has no tags).
PgParam Metadata(const std::string& text) {
  if (text.empty()) return PgParam();
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  if (!ec) return text;
  return boost::json::serialize(boost::json::string(text));
}

void AppendCall(const CallRecord& r, std::vector<PgParam>& params) {
  const std::int64_t time_ms = ToEpochMillis(r.time);
  params.push_back(Text(r.request_id));
  params.push_back(Text(FormatIsoUtcMillis(time_ms)));
  params.push_back(Int(time_ms));
  params.push_back(Text(r.key_name));
  params.push_back(Text(r.method));
  params.push_back(Text(r.path));
  params.push_back(Text(r.inbound));
  params.push_back(Text(r.requested_model));
  params.push_back(Text(r.route));
  params.push_back(Text(r.provider));
  params.push_back(Text(r.model));
  params.push_back(Int(r.status));
  params.push_back(Bool(r.stream));
  params.push_back(TextOrNull(r.error));
  params.push_back(Int(r.latency_ms));
  params.push_back(OptionalInt(r.ttft_ms));
  params.push_back(Int(static_cast<std::int64_t>(r.attempts.size())));
  params.push_back(Metadata(r.metadata_json));
  params.push_back(OptionalInt(r.TotalCostNanos()));
  params.push_back(Bool(r.AnyEstimated()));
  params.push_back(TextOrNull(r.cache));
  params.push_back(TextOrNull(r.key_id));
  params.push_back(TextOrNull(r.team));
  params.push_back(TextOrNull(r.budget_alert));
  params.push_back(Text(r.guardrails));  // NOT NULL: '' when none fired
  params.push_back(Text(r.variant));     // NOT NULL, like epoch: '' for a call of no experiment
  params.push_back(Text(r.epoch));
}

void AppendAttempt(const std::string& request_id, const AttemptRecord& a,
                   std::vector<PgParam>& params) {
  const canonical::Usage& u = a.usage;
  params.push_back(Text(request_id));
  params.push_back(Int(a.n));
  params.push_back(Text(ToString(a.kind)));
  params.push_back(Text(a.provider));
  params.push_back(Text(a.model));
  params.push_back(Text(ToString(a.outcome)));
  params.push_back(Int(a.http_status));
  params.push_back(Text(a.reason));
  params.push_back(Int(u.input_tokens));
  params.push_back(Int(u.cached_input_tokens));
  params.push_back(Int(u.cache_write_tokens));
  params.push_back(Int(u.cache_write_1h_tokens));
  params.push_back(Int(u.output_tokens));
  params.push_back(Int(u.reasoning_tokens));
  params.push_back(Bool(u.reported));
  params.push_back(OptionalInt(a.cost_nanos));
  params.push_back(Bool(a.usage_estimated));
  params.push_back(Int(a.latency_ms));
  params.push_back(OptionalInt(a.ttft_ms));
  params.push_back(OptionalInt(a.saved_nanos));
}

// A late record's attempts added to its call's row; no row back when the call is not stored.
// NULL + a cost is NULL: the sum is unknown when either part is.
constexpr std::string_view kAddLateAttempts =
    "UPDATE calls SET attempts = attempts + $2::integer, cost_nanos = cost_nanos + $3::bigint, "
    "estimated = estimated OR $4::boolean WHERE request_id = $1::text RETURNING request_id";

constexpr std::string_view kInsertJudgement =
    "INSERT INTO judgements (request_id, time_ms, route, epoch, mode, variant_a, variant_b, "
    "served, outcome, score, a_first, b_first, reason, cost_nanos) VALUES ($1::text, "
    "$2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, "
    "$10::integer, $11::text, $12::text, $13::text, $14::bigint) "
    "ON CONFLICT (request_id, variant_b) DO NOTHING";

std::vector<PgParam> LateAttemptsParams(const CallRecord& r) {
  return {Text(r.request_id), Int(static_cast<std::int64_t>(r.attempts.size())),
          OptionalInt(r.TotalCostNanos()), Bool(r.AnyEstimated())};
}

std::vector<PgParam> JudgementParams(const std::string& request_id, const JudgementRecord& j) {
  return {Text(request_id),
          Int(ToEpochMillis(j.time)),
          Text(j.route),
          Text(j.epoch),
          Text(j.mode),
          Text(j.variant_a),
          Text(j.variant_b),
          Text(j.served),
          Text(j.outcome),
          j.score ? Int(*j.score) : PgParam(),
          Text(j.a_first),
          Text(j.b_first),
          Text(j.StoredReason()),
          OptionalInt(j.cost_nanos)};
}

}  // namespace

Result<std::unique_ptr<PostgresLedgerSink>> PostgresLedgerSink::Open(
    const std::string& url, const LedgerSinkOptions& options) {
  if (url.empty()) return Error::Config("the PostgreSQL ledger needs `url:` in the ledger config");
  if (options.max_queued == 0 || options.max_batch == 0) {
    return Error::Config("the ledger's max_queued and max_batch must be at least 1");
  }
  Result<PgConnection> conn = PgConnection::Connect(url);
  if (!conn) return conn.error();
  if (Status schema = CreatePostgresLedgerSchema(*conn); !schema.ok()) return schema.error();
  return std::unique_ptr<PostgresLedgerSink>(
      new PostgresLedgerSink(url, options, std::move(*conn)));
}

PostgresLedgerSink::PostgresLedgerSink(std::string url, const LedgerSinkOptions& options,
                                       PgConnection conn)
    : BatchingLedgerSink("postgres " + conn.target(), options),
      url_(std::move(url)),
      target_(conn.target()),
      conn_(std::move(conn)) {
  StartWriter();
}

PostgresLedgerSink::~PostgresLedgerSink() { StopWriter(); }

Status PostgresLedgerSink::WriteBatch(const std::deque<CallRecord>& batch,
                                      std::uint64_t* duplicates) {
  if (!conn_ || conn_->broken()) {
    conn_.reset();
    Result<PgConnection> conn = PgConnection::Connect(url_);
    if (!conn) return conn.error();
    conn_ = std::move(*conn);
    spdlog::info("ledger {}: connected again", log_name());
  }
  Status written = WriteInTransaction(batch, duplicates);
  if (!written.ok()) {
    if (conn_->broken()) {
      conn_.reset();  // the server rolled the transaction back; reconnect on the next try
    } else {
      (void)conn_->Exec("ROLLBACK");
    }
  }
  return written;
}

Status PostgresLedgerSink::WriteInTransaction(const std::deque<CallRecord>& batch,
                                              std::uint64_t* duplicates) {
  if (Result<PgResult> begun = conn_->Exec("BEGIN"); !begun) return begun.error();
  // Calls before late records: a late record in the same batch as its call finds the call's row.
  std::vector<const CallRecord*> calls;
  std::vector<const CallRecord*> lates;
  for (const CallRecord& r : batch) (r.late ? lates : calls).push_back(&r);
  Result<std::vector<const CallRecord*>> stored = WriteCalls(calls, duplicates);
  if (!stored) return stored.error();
  std::vector<RequestAttempt> attempts;
  for (const CallRecord* r : *stored) {
    for (const AttemptRecord& a : r->attempts) attempts.emplace_back(&r->request_id, &a);
  }
  if (Status written = WriteAttempts(attempts); !written.ok()) return written;
  for (const CallRecord* r : lates) {
    if (Status written = WriteLate(*r); !written.ok()) return written;
  }
  if (Result<PgResult> committed = conn_->Exec("COMMIT"); !committed) return committed.error();
  return {};
}

Result<std::vector<const CallRecord*>> PostgresLedgerSink::WriteCalls(
    const std::vector<const CallRecord*>& calls, std::uint64_t* duplicates) {
  // RETURNING names the calls stored now, whose attempts follow. An id already stored (or
  // repeated within the batch) comes back at most once.
  std::set<std::string> stored;
  const std::size_t call_chunk = RowsPerStatement(kCallColumns);
  std::vector<PgParam> params;
  for (std::size_t first = 0; first < calls.size(); first += call_chunk) {
    const std::size_t rows = std::min(call_chunk, calls.size() - first);
    params.clear();
    for (std::size_t i = first; i < first + rows; ++i) AppendCall(*calls[i], params);
    Result<PgResult> inserted =
        conn_->Exec(InsertSql("calls", kCallColumns, rows, "request_id"), params);
    if (!inserted) return inserted.error();
    for (int row = 0; row < inserted->rows(); ++row) stored.insert(inserted->Text(row, 0));
  }
  // Each newly stored call is the first record with its id.
  std::vector<const CallRecord*> owners;
  for (const CallRecord* r : calls) {
    if (stored.erase(r->request_id) > 0) {
      owners.push_back(r);
      continue;
    }
    // The same request id twice is a bug upstream of the ledger; keep the first, say so.
    ++*duplicates;
    spdlog::warn("ledger {}: request id {} is already in the ledger; the second record is not "
                 "stored: {}", log_name(), r->request_id, AccessLogSink::FormatLine(*r));
  }
  return owners;
}

Status PostgresLedgerSink::WriteAttempts(const std::vector<RequestAttempt>& attempts) {
  const std::size_t attempt_chunk = RowsPerStatement(kAttemptColumns);
  std::vector<PgParam> params;
  for (std::size_t first = 0; first < attempts.size(); first += attempt_chunk) {
    const std::size_t rows = std::min(attempt_chunk, attempts.size() - first);
    params.clear();
    for (std::size_t i = first; i < first + rows; ++i) {
      AppendAttempt(*attempts[i].first, *attempts[i].second, params);
    }
    Result<PgResult> inserted =
        conn_->Exec(InsertSql("attempts", kAttemptColumns, rows, "request_id, n"), params);
    if (!inserted) return inserted.error();
    if (static_cast<std::size_t>(inserted->rows()) < rows) {
      spdlog::warn("ledger {}: {} attempts share a request id and number with another; only the "
                   "first of each is stored", log_name(), rows - inserted->rows());
    }
  }
  return {};
}

// The call's row first: its update tells whether the call is there at all, and nothing of a late
// record is stored without it.
Status PostgresLedgerSink::WriteLate(const CallRecord& r) {
  Result<PgResult> updated = conn_->Exec(kAddLateAttempts, LateAttemptsParams(r));
  if (!updated) return updated.error();
  if (updated->rows() == 0) {
    spdlog::warn("ledger {}: request {} is not in the ledger (never recorded, or dropped); its "
                 "late attempts and judgement are not stored: {}", log_name(), r.request_id,
                 AccessLogSink::FormatLateLine(r));
    return {};
  }
  std::vector<RequestAttempt> attempts;
  for (const AttemptRecord& a : r.attempts) attempts.emplace_back(&r.request_id, &a);
  if (Status written = WriteAttempts(attempts); !written.ok()) return written;
  if (!r.judgement) return {};
  Result<PgResult> judged = conn_->Exec(kInsertJudgement, JudgementParams(r.request_id,
                                                                          *r.judgement));
  if (!judged) return judged.error();
  return {};
}

}  // namespace switchyard::ledger

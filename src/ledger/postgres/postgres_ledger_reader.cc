#include "ledger/postgres/postgres_ledger_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <utility>

#include "ledger/ledger_time.h"
#include "ledger/postgres/postgres_schema.h"
#include "ledger/query/spend_rows.h"

namespace switchyard::ledger {
namespace {

// The sums every spend and reconciliation row carries, over attempts `a`, in AttemptSums' column
// order (spend_rows.h).
constexpr std::string_view kAttemptSums =
    "count(*), COALESCE(sum(a.input_tokens), 0), COALESCE(sum(a.cached_input_tokens), 0), "
    "COALESCE(sum(a.cache_write_tokens), 0), COALESCE(sum(a.cache_write_1h_tokens), 0), "
    "COALESCE(sum(a.output_tokens), 0), COALESCE(sum(a.reasoning_tokens), 0), "
    "COALESCE(sum(a.cost_nanos), 0), count(*) FILTER (WHERE a.cost_nanos IS NULL), "
    "COALESCE(sum(a.saved_nanos), 0)";

// Calls in [$1, $2); $3 is the tag's key when grouping by tag.
constexpr std::string_view kTimeFilter = "c.time_ms >= $1::bigint AND c.time_ms < $2::bigint";

// The call's UTC day, as the SQLite ledger's first ten characters of its ISO time.
constexpr std::string_view kDay = "to_char(c.time AT TIME ZONE 'UTC', 'YYYY-MM-DD')";

struct GroupExpressions {
  std::string for_attempt;     // over calls c JOIN attempts a
  std::string for_call;        // over calls c
  bool skip_unserved = false;  // provider/model: calls that reached no provider belong nowhere
};

// The same groupings as the SQLite reader's (spend_query.h has the semantics).
GroupExpressions ExpressionsFor(SpendGroup group) {
  switch (group) {
    case SpendGroup::kKey: return {"NULLIF(c.key_name, '')", "NULLIF(c.key_name, '')", false};
    case SpendGroup::kRoute: return {"NULLIF(c.route, '')", "NULLIF(c.route, '')", false};
    case SpendGroup::kDay: return {std::string(kDay), std::string(kDay), false};
    case SpendGroup::kProvider: return {"a.provider", "c.provider", true};
    case SpendGroup::kModel:
      return {"a.provider || '/' || a.model", "c.provider || '/' || c.model", true};
    // ->> gives strings unquoted, true/false as words, JSON null and a missing key as NULL, and
    // NULL for metadata that is not an object.
    case SpendGroup::kTag: return {"c.metadata ->> $3::text", "c.metadata ->> $3::text", false};
  }
  return {};
}

std::vector<PgParam> RangeParams(const TimeRange& range) {
  return {std::to_string(range.since_ms.value_or(std::numeric_limits<std::int64_t>::min())),
          std::to_string(range.until_ms.value_or(std::numeric_limits<std::int64_t>::max()))};
}

// A sum: PostgreSQL's sum() of bigint is numeric and never overflows, but its text may lie beyond
// int64 — read as int64's bound then, not as 0 (PgResult::Int's reading of a non-number).
std::int64_t SaturatedSum(const PgResult& result, int row, int column) {
  const std::string text = result.Text(row, column);
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)ptr;
  if (ec == std::errc::result_out_of_range) {
    return text.starts_with('-') ? std::numeric_limits<std::int64_t>::min()
                                 : std::numeric_limits<std::int64_t>::max();
  }
  return value;  // NULL ("") reads as 0
}

AttemptSums ReadSums(const PgResult& result, int row, int first) {
  std::int64_t columns[kAttemptSumColumns];
  for (int i = 0; i < kAttemptSumColumns; ++i) columns[i] = SaturatedSum(result, row, first + i);
  return AttemptSumsFromColumns(columns);
}

}  // namespace

Result<std::unique_ptr<PostgresLedgerReader>> PostgresLedgerReader::Open(const std::string& url) {
  Result<PgLedgerConnection> db = PgLedgerConnection::Open(url, CheckPostgresLedgerSchema);
  if (!db) return db.error();
  return std::unique_ptr<PostgresLedgerReader>(new PostgresLedgerReader(std::move(*db)));
}

Error PostgresLedgerReader::DatabaseError(const std::string& message) const {
  return Error::Unavailable(
      fmt::format("cannot read the PostgreSQL ledger at {}: {}", db_.target(), message));
}

template <class T, class F>
Result<T> PostgresLedgerReader::InReadTransaction(F&& query) {
  Result<PgConnection*> conn = db_.Connection();
  if (!conn) return conn.error();
  PgConnection& db = **conn;
  if (Result<PgResult> begun = db.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      !begun) {
    return DatabaseError(begun.error().message);
  }
  Result<T> answer = query(db);
  if (!db.broken()) (void)db.Exec(answer ? "COMMIT" : "ROLLBACK");
  return answer;
}

Result<std::vector<SpendRow>> PostgresLedgerReader::Spend(const SpendQuery& query) {
  const GroupExpressions group = ExpressionsFor(query.group);
  const std::string attempts_sql = fmt::format(
      "SELECT {} AS g, {} FROM calls c JOIN attempts a ON a.request_id = c.request_id "
      "WHERE {} GROUP BY g", group.for_attempt, kAttemptSums, kTimeFilter);
  const std::string calls_sql = fmt::format(
      "SELECT {} AS g, count(*) FROM calls c WHERE {}{} GROUP BY g", group.for_call, kTimeFilter,
      group.skip_unserved ? " AND c.provider <> ''" : "");
  std::vector<PgParam> params = RangeParams(query.range);
  if (query.group == SpendGroup::kTag) params.push_back(query.tag);

  std::lock_guard lock(mutex_);
  return InReadTransaction<std::vector<SpendRow>>(
      [&](PgConnection& db) -> Result<std::vector<SpendRow>> {
        SpendRowsBuilder rows;
        Result<PgResult> sums = db.Exec(attempts_sql, params);
        if (!sums) return DatabaseError(sums.error().message);
        for (int row = 0; row < sums->rows(); ++row) {
          rows.AddAttemptSums(sums->OptionalText(row, 0), ReadSums(*sums, row, 1));
        }
        Result<PgResult> calls = db.Exec(calls_sql, params);
        if (!calls) return DatabaseError(calls.error().message);
        for (int row = 0; row < calls->rows(); ++row) {
          rows.AddCalls(calls->OptionalText(row, 0), calls->Int(row, 1));
        }
        return rows.Finish();
      });
}

Result<std::vector<ReconcileRow>> PostgresLedgerReader::Reconcile(const TimeRange& range) {
  // COLLATE "C": byte order, as the SQLite ledger sorts, whatever the database's locale.
  const std::string sql = fmt::format(
      "SELECT {} AS day, a.provider, a.model, {} "
      "FROM calls c JOIN attempts a ON a.request_id = c.request_id WHERE {} AND a.kind <> 'cache' "
      "GROUP BY day, a.provider, a.model "
      "ORDER BY {} COLLATE \"C\", a.provider COLLATE \"C\", a.model COLLATE \"C\"",
      kDay, kAttemptSums, kTimeFilter, kDay);
  std::lock_guard lock(mutex_);
  Result<PgConnection*> conn = db_.Connection();
  if (!conn) return conn.error();
  Result<PgResult> result = (*conn)->Exec(sql, RangeParams(range));
  if (!result) return DatabaseError(result.error().message);
  std::vector<ReconcileRow> out;
  out.reserve(static_cast<std::size_t>(result->rows()));
  for (int row = 0; row < result->rows(); ++row) {
    out.push_back(MakeReconcileRow(result->Text(row, 0), result->Text(row, 1),
                                   result->Text(row, 2), ReadSums(*result, row, 3)));
  }
  return out;
}

Result<CallRow> PostgresLedgerReader::FindRequest(std::string_view request_id) {
  const std::vector<PgParam> id = {std::string(request_id)};
  std::lock_guard lock(mutex_);
  return InReadTransaction<CallRow>([&](PgConnection& db) -> Result<CallRow> {
    Result<PgResult> call = db.Exec(
        "SELECT request_id, time_ms, key_name, method, path, inbound, requested_model, route, "
        "provider, model, status, stream, error, latency_ms, ttft_ms, metadata::text, cost_nanos, "
        "estimated, cache, guardrails, variant, epoch FROM calls WHERE request_id = $1::text", id);
    if (!call) return DatabaseError(call.error().message);
    if (call->rows() == 0) {
      return Error::NotFound(fmt::format("no request {} in the ledger", request_id));
    }
    CallRow row;
    row.request_id = call->Text(0, 0);
    row.time_ms = call->Int(0, 1);
    row.time = FormatIsoUtcMillis(row.time_ms);
    row.key_name = call->Text(0, 2);
    row.method = call->Text(0, 3);
    row.path = call->Text(0, 4);
    row.inbound = call->Text(0, 5);
    row.requested_model = call->Text(0, 6);
    row.route = call->Text(0, 7);
    row.provider = call->Text(0, 8);
    row.model = call->Text(0, 9);
    row.status = static_cast<int>(call->Int(0, 10));
    row.stream = call->Bool(0, 11);
    row.error = call->Text(0, 12);
    row.latency_ms = call->Int(0, 13);
    row.ttft_ms = call->OptionalInt(0, 14);
    row.metadata_json = call->Text(0, 15);
    row.cost_nanos = call->OptionalInt(0, 16);
    row.estimated = call->Bool(0, 17);
    row.cache = call->OptionalText(0, 18);
    row.guardrails = call->Text(0, 19);
    row.variant = call->Text(0, 20);
    row.epoch = call->Text(0, 21);

    Result<PgResult> attempts = db.Exec(
        "SELECT n, kind, provider, model, outcome, http_status, reason, input_tokens, "
        "cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, "
        "reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms, ttft_ms, saved_nanos "
        "FROM attempts WHERE request_id = $1::text ORDER BY n", id);
    if (!attempts) return DatabaseError(attempts.error().message);
    for (int i = 0; i < attempts->rows(); ++i) {
      AttemptRow a;
      a.n = static_cast<int>(attempts->Int(i, 0));
      a.kind = attempts->Text(i, 1);
      a.provider = attempts->Text(i, 2);
      a.model = attempts->Text(i, 3);
      a.outcome = attempts->Text(i, 4);
      a.http_status = static_cast<int>(attempts->Int(i, 5));
      a.reason = attempts->Text(i, 6);
      a.usage.input_tokens = attempts->Int(i, 7);
      a.usage.cached_input_tokens = attempts->Int(i, 8);
      a.usage.cache_write_tokens = attempts->Int(i, 9);
      a.usage.cache_write_1h_tokens = attempts->Int(i, 10);
      a.usage.output_tokens = attempts->Int(i, 11);
      a.usage.reasoning_tokens = attempts->Int(i, 12);
      a.usage.reported = attempts->Bool(i, 13);
      a.cost_nanos = attempts->OptionalInt(i, 14);
      a.estimated = attempts->Bool(i, 15);
      a.latency_ms = attempts->Int(i, 16);
      a.ttft_ms = attempts->OptionalInt(i, 17);
      a.saved_nanos = attempts->OptionalInt(i, 18);
      row.attempts.push_back(std::move(a));
    }
    return row;
  });
}

}  // namespace switchyard::ledger

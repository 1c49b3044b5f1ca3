#include "ledger/sqlite/ledger_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>

#include "ledger/query/spend_rows.h"
#include "ledger/sqlite/ledger_schema.h"

namespace switchyard::ledger {
namespace {

// The sums every spend and reconciliation row carries, over attempts `a`; read by ReadSums from
// column `first` on. SQLite's sum() of integers fails the whole query with "integer overflow"
// past int64, so the token and cost sums are total()s (floating point: exact below 2^53, never
// failing) cast back to integers, which saturates at int64's bounds.
constexpr std::string_view kAttemptSums =
    "count(*), CAST(total(a.input_tokens) AS INTEGER), "
    "CAST(total(a.cached_input_tokens) AS INTEGER), CAST(total(a.cache_write_tokens) AS INTEGER), "
    "CAST(total(a.cache_write_1h_tokens) AS INTEGER), CAST(total(a.output_tokens) AS INTEGER), "
    "CAST(total(a.reasoning_tokens) AS INTEGER), CAST(total(a.cost_nanos) AS INTEGER), "
    "sum(a.cost_nanos IS NULL), CAST(total(a.saved_nanos) AS INTEGER)";

// Calls in [?1, ?2); ?3 is the tag's JSON path when grouping by tag.
constexpr std::string_view kTimeFilter = "c.time_ms >= ?1 AND c.time_ms < ?2";

// NULL (a sum where every price is unknown) reads as 0.
AttemptSums ReadSums(const SqliteStatement& stmt, int first) {
  std::int64_t columns[kAttemptSumColumns];
  for (int i = 0; i < kAttemptSumColumns; ++i) columns[i] = stmt.Int(first + i);
  return AttemptSumsFromColumns(columns);
}

// The SQL expression naming a call's group (call-level groupings), or an attempt's group and the
// group of the attempt that served the call (provider/model).
struct GroupExpressions {
  std::string for_attempt;  // over calls c JOIN attempts a
  std::string for_call;     // over calls c
  bool skip_unserved = false;  // provider/model: calls that reached no provider belong nowhere
};

GroupExpressions ExpressionsFor(SpendGroup group) {
  switch (group) {
    case SpendGroup::kKey: return {"NULLIF(c.key_name, '')", "NULLIF(c.key_name, '')", false};
    case SpendGroup::kRoute: return {"NULLIF(c.route, '')", "NULLIF(c.route, '')", false};
    // The ISO text's first ten characters are the UTC day.
    case SpendGroup::kDay: return {"substr(c.time, 1, 10)", "substr(c.time, 1, 10)", false};
    case SpendGroup::kProvider: return {"a.provider", "c.provider", true};
    case SpendGroup::kModel:
      return {"a.provider || '/' || a.model", "c.provider || '/' || c.model", true};
    case SpendGroup::kTag: {
      // Metadata is validated JSON when written; json_valid guards old or hand-edited rows, since
      // one malformed value would otherwise fail the whole query. JSON true/false read as words.
      const std::string tag =
          "CASE WHEN json_valid(c.metadata) THEN CASE json_type(c.metadata, ?3) "
          "WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN NULL "
          "ELSE CAST(json_extract(c.metadata, ?3) AS TEXT) END END";
      return {tag, tag, false};
    }
  }
  return {};
}

void BindRange(SqliteStatement& stmt, const TimeRange& range) {
  stmt.BindInt(1, range.since_ms.value_or(std::numeric_limits<std::int64_t>::min()));
  stmt.BindInt(2, range.until_ms.value_or(std::numeric_limits<std::int64_t>::max()));
}

std::optional<std::string> OptionalText(const SqliteStatement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return stmt.Text(column);
}

}  // namespace

Result<std::unique_ptr<LedgerReader>> LedgerReader::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error::Unavailable(fmt::format(
        "there is no ledger at {}: the gateway creates it when it first starts with this ledger "
        "path", path));
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Error::Unavailable(fmt::format("the ledger path {} is a directory, not a file", path));
  }
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/true);
  if (!db) return db.error();
  // A reader waits for a checkpoint or recovery in progress rather than failing at once.
  (void)db->Exec("PRAGMA busy_timeout=5000");
  if (Status schema = CheckLedgerSchema(*db, path); !schema.ok()) return schema.error();
  return std::unique_ptr<LedgerReader>(new LedgerReader(path, std::move(*db)));
}

Error LedgerReader::DatabaseError(const std::string& message) const {
  return Error::Unavailable(fmt::format("cannot read the ledger {}: {}", path_, message));
}

Result<std::vector<SpendRow>> LedgerReader::Spend(const SpendQuery& query) {
  const GroupExpressions group = ExpressionsFor(query.group);
  const std::string attempts_sql = fmt::format(
      "SELECT {} AS g, {} FROM calls c JOIN attempts a ON a.request_id = c.request_id "
      "WHERE {} GROUP BY g", group.for_attempt, kAttemptSums, kTimeFilter);
  const std::string calls_sql = fmt::format(
      "SELECT {} AS g, count(*) FROM calls c WHERE {}{} GROUP BY g", group.for_call, kTimeFilter,
      group.skip_unserved ? " AND c.provider <> ''" : "");
  const std::string tag_path = "$.\"" + query.tag + "\"";

  std::lock_guard lock(mutex_);
  // Both queries in one read transaction: one snapshot, so calls and attempts agree.
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return DatabaseError(begun.error().message);
  struct EndRead {
    SqliteDb& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{db_};

  SpendRowsBuilder rows;
  auto run = [&](const std::string& sql, bool attempt_sums) -> Status {
    Result<SqliteStatement> stmt = db_.Prepare(sql);
    if (!stmt) return DatabaseError(stmt.error().message);
    BindRange(*stmt, query.range);
    if (query.group == SpendGroup::kTag) stmt->BindText(3, tag_path);
    std::string error;
    while (stmt->Step(&error)) {
      if (attempt_sums) {
        rows.AddAttemptSums(OptionalText(*stmt, 0), ReadSums(*stmt, 1));
      } else {
        rows.AddCalls(OptionalText(*stmt, 0), stmt->Int(1));
      }
    }
    if (!error.empty()) return DatabaseError(error);
    return {};
  };
  if (Status done = run(attempts_sql, true); !done.ok()) return done.error();
  if (Status done = run(calls_sql, false); !done.ok()) return done.error();

  return rows.Finish();
}

Result<std::vector<ReconcileRow>> LedgerReader::Reconcile(const TimeRange& range) {
  const std::string sql = fmt::format(
      "SELECT substr(c.time, 1, 10) AS day, a.provider, a.model, {} "
      "FROM calls c JOIN attempts a ON a.request_id = c.request_id WHERE {} AND a.kind <> 'cache' "
      "GROUP BY day, a.provider, a.model ORDER BY day, a.provider, a.model",
      kAttemptSums, kTimeFilter);
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(sql);
  if (!stmt) return DatabaseError(stmt.error().message);
  BindRange(*stmt, range);
  std::vector<ReconcileRow> out;
  std::string error;
  while (stmt->Step(&error)) {
    out.push_back(
        MakeReconcileRow(stmt->Text(0), stmt->Text(1), stmt->Text(2), ReadSums(*stmt, 3)));
  }
  if (!error.empty()) return DatabaseError(error);
  return out;
}

Result<CallRow> LedgerReader::FindRequest(std::string_view request_id) {
  std::lock_guard lock(mutex_);
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return DatabaseError(begun.error().message);
  struct EndRead {
    SqliteDb& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{db_};

  Result<SqliteStatement> call = db_.Prepare(
      "SELECT request_id, time, time_ms, key_name, method, path, inbound, requested_model, route, "
      "provider, model, status, stream, error, latency_ms, ttft_ms, metadata, cost_nanos, "
      "estimated, cache, guardrails, variant, epoch FROM calls WHERE request_id = ?1");
  if (!call) return DatabaseError(call.error().message);
  call->BindText(1, request_id);
  std::string error;
  if (!call->Step(&error)) {
    if (!error.empty()) return DatabaseError(error);
    return Error::NotFound(fmt::format("no request {} in the ledger", request_id));
  }
  CallRow row;
  row.request_id = call->Text(0);
  row.time = call->Text(1);
  row.time_ms = call->Int(2);
  row.key_name = call->Text(3);
  row.method = call->Text(4);
  row.path = call->Text(5);
  row.inbound = call->Text(6);
  row.requested_model = call->Text(7);
  row.route = call->Text(8);
  row.provider = call->Text(9);
  row.model = call->Text(10);
  row.status = static_cast<int>(call->Int(11));
  row.stream = call->Int(12) != 0;
  row.error = call->Text(13);
  row.latency_ms = call->Int(14);
  row.ttft_ms = call->OptionalInt(15);
  row.metadata_json = call->Text(16);
  row.cost_nanos = call->OptionalInt(17);
  row.estimated = call->Int(18) != 0;
  row.cache = OptionalText(*call, 19);
  row.guardrails = call->Text(20);
  row.variant = call->Text(21);
  row.epoch = call->Text(22);

  Result<SqliteStatement> attempts = db_.Prepare(
      "SELECT n, kind, provider, model, outcome, http_status, reason, input_tokens, "
      "cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, "
      "reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms, ttft_ms, saved_nanos "
      "FROM attempts WHERE request_id = ?1 ORDER BY n");
  if (!attempts) return DatabaseError(attempts.error().message);
  attempts->BindText(1, request_id);
  while (attempts->Step(&error)) {
    AttemptRow a;
    a.n = static_cast<int>(attempts->Int(0));
    a.kind = attempts->Text(1);
    a.provider = attempts->Text(2);
    a.model = attempts->Text(3);
    a.outcome = attempts->Text(4);
    a.http_status = static_cast<int>(attempts->Int(5));
    a.reason = attempts->Text(6);
    a.usage.input_tokens = attempts->Int(7);
    a.usage.cached_input_tokens = attempts->Int(8);
    a.usage.cache_write_tokens = attempts->Int(9);
    a.usage.cache_write_1h_tokens = attempts->Int(10);
    a.usage.output_tokens = attempts->Int(11);
    a.usage.reasoning_tokens = attempts->Int(12);
    a.usage.reported = attempts->Int(13) != 0;
    a.cost_nanos = attempts->OptionalInt(14);
    a.estimated = attempts->Int(15) != 0;
    a.latency_ms = attempts->Int(16);
    a.ttft_ms = attempts->OptionalInt(17);
    a.saved_nanos = attempts->OptionalInt(18);
    row.attempts.push_back(std::move(a));
  }
  if (!error.empty()) return DatabaseError(error);
  return row;
}

}  // namespace switchyard::ledger

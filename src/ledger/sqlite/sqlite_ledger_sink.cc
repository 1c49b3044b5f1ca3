#include "ledger/sqlite/sqlite_ledger_sink.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "ledger/ledger_time.h"
#include "ledger/sinks/access_log_sink.h"
#include "ledger/sqlite/ledger_schema.h"

namespace switchyard::ledger {

namespace {

constexpr std::string_view kInsertCall = R"sql(
INSERT OR IGNORE INTO calls (request_id, time, time_ms, key_name, method, path, inbound,
  requested_model, route, provider, model, status, stream, error, latency_ms, ttft_ms, attempts,
  metadata, cost_nanos, estimated, cache, key_id, team, budget_alert, guardrails, variant, epoch)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
  ?21, ?22, ?23, ?24, ?25, ?26, ?27))sql";

constexpr std::string_view kInsertAttempt = R"sql(
INSERT OR IGNORE INTO attempts (request_id, n, kind, provider, model, outcome, http_status, reason,
  input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,
  reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms, ttft_ms, saved_nanos)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20))sql";

// A late record's attempts added to its call. NULL + a cost is NULL: the sum is unknown when
// either part is.
constexpr std::string_view kAddLateAttempts = R"sql(
UPDATE calls SET attempts = attempts + ?2, cost_nanos = cost_nanos + ?3,
  estimated = max(estimated, ?4)
WHERE request_id = ?1)sql";

constexpr std::string_view kInsertJudgement = R"sql(
INSERT INTO judgements (request_id, time_ms, route, epoch, mode, variant_a, variant_b, served,
  outcome, score, a_first, b_first, reason, cost_nanos)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
ON CONFLICT (request_id, variant_b) DO NOTHING)sql";

// The Bind* functions below bind every parameter of their statement, NULLs included: statements are
// reset but not cleared between rows, so a parameter left out would keep the previous row's value.
// Text is bound without a copy; WriteBatch keeps it alive until the batch's end.

void BindCall(SqliteStatement& call, const CallRecord& r, std::int64_t time_ms,
              std::string_view time) {
  call.BindText(1, r.request_id);
  call.BindText(2, time);
  call.BindInt(3, time_ms);
  call.BindText(4, r.key_name);
  call.BindText(5, r.method);
  call.BindText(6, r.path);
  call.BindText(7, r.inbound);
  call.BindText(8, r.requested_model);
  call.BindText(9, r.route);
  call.BindText(10, r.provider);
  call.BindText(11, r.model);
  call.BindInt(12, r.status);
  call.BindInt(13, r.stream ? 1 : 0);
  call.BindTextOrNull(14, r.error);
  call.BindInt(15, r.latency_ms);
  call.BindOptionalInt(16, r.ttft_ms);
  call.BindInt(17, static_cast<std::int64_t>(r.attempts.size()));
  call.BindTextOrNull(18, r.metadata_json);
  call.BindOptionalInt(19, r.TotalCostNanos());
  call.BindInt(20, r.AnyEstimated() ? 1 : 0);
  call.BindTextOrNull(21, r.cache);
  call.BindTextOrNull(22, r.key_id);
  call.BindTextOrNull(23, r.team);
  call.BindTextOrNull(24, r.budget_alert);
  call.BindText(25, r.guardrails);  // NOT NULL: '' when none fired
  call.BindText(26, r.variant);     // NOT NULL, like epoch: '' for a call of no experiment
  call.BindText(27, r.epoch);
}

void BindLateAttempts(SqliteStatement& update, const CallRecord& r) {
  update.BindText(1, r.request_id);
  update.BindInt(2, static_cast<std::int64_t>(r.attempts.size()));
  update.BindOptionalInt(3, r.TotalCostNanos());
  update.BindInt(4, r.AnyEstimated() ? 1 : 0);
}

void BindJudgement(SqliteStatement& insert, const std::string& request_id,
                   const JudgementRecord& j) {
  insert.BindText(1, request_id);
  insert.BindInt(2, ToEpochMillis(j.time));
  insert.BindText(3, j.route);
  insert.BindText(4, j.epoch);
  insert.BindText(5, j.mode);
  insert.BindText(6, j.variant_a);
  insert.BindText(7, j.variant_b);
  insert.BindText(8, j.served);
  insert.BindText(9, j.outcome);
  insert.BindOptionalInt(10, j.score);
  insert.BindText(11, j.a_first);
  insert.BindText(12, j.b_first);
  insert.BindText(13, j.StoredReason());
  insert.BindOptionalInt(14, j.cost_nanos);
}

void BindAttempt(SqliteStatement& attempt, const std::string& request_id, const AttemptRecord& a) {
  const canonical::Usage& u = a.usage;
  attempt.BindText(1, request_id);
  attempt.BindInt(2, a.n);
  attempt.BindText(3, ToString(a.kind));  // views of string literals
  attempt.BindText(4, a.provider);
  attempt.BindText(5, a.model);
  attempt.BindText(6, ToString(a.outcome));
  attempt.BindInt(7, a.http_status);
  attempt.BindText(8, a.reason);
  attempt.BindInt(9, u.input_tokens);
  attempt.BindInt(10, u.cached_input_tokens);
  attempt.BindInt(11, u.cache_write_tokens);
  attempt.BindInt(12, u.cache_write_1h_tokens);
  attempt.BindInt(13, u.output_tokens);
  attempt.BindInt(14, u.reasoning_tokens);
  attempt.BindInt(15, u.reported ? 1 : 0);
  attempt.BindOptionalInt(16, a.cost_nanos);
  attempt.BindInt(17, a.usage_estimated ? 1 : 0);
  attempt.BindInt(18, a.latency_ms);
  attempt.BindOptionalInt(19, a.ttft_ms);
  attempt.BindOptionalInt(20, a.saved_nanos);
}

// Runs a bound INSERT or UPDATE once; returns the rows it added or changed (0: an INSERT ignored
// as a duplicate, or an UPDATE that found no row).
Result<int> RunInsert(SqliteDb& db, SqliteStatement& stmt) {
  std::string error;
  stmt.Step(&error);
  const int added = db.changes();
  stmt.Reset();
  if (!error.empty()) return Error::Unavailable(std::move(error));
  return added;
}

}  // namespace

struct SqliteLedgerSink::Statements {
  SqliteStatement insert_call;
  SqliteStatement insert_attempt;
  SqliteStatement add_late_attempts;
  SqliteStatement insert_judgement;

  void ClearBindings() {
    insert_call.ClearBindings();
    insert_attempt.ClearBindings();
    add_late_attempts.ClearBindings();
    insert_judgement.ClearBindings();
  }
};

Result<std::unique_ptr<SqliteLedgerSink::Statements>> SqliteLedgerSink::PrepareStatements(
    SqliteDb& db, const std::string& path) {
  Result<SqliteStatement> insert_call = db.Prepare(kInsertCall);
  Result<SqliteStatement> insert_attempt = db.Prepare(kInsertAttempt);
  Result<SqliteStatement> add_late_attempts = db.Prepare(kAddLateAttempts);
  Result<SqliteStatement> insert_judgement = db.Prepare(kInsertJudgement);
  for (const Result<SqliteStatement>* stmt :
       {&insert_call, &insert_attempt, &add_late_attempts, &insert_judgement}) {
    if (!*stmt) {
      return Error::Unavailable(
          fmt::format("cannot prepare the ledger {}: {}", path, stmt->error().message));
    }
  }
  return std::make_unique<Statements>(
      Statements{std::move(*insert_call), std::move(*insert_attempt),
                 std::move(*add_late_attempts), std::move(*insert_judgement)});
}

Result<std::unique_ptr<SqliteLedgerSink>> SqliteLedgerSink::Open(
    const std::string& path, const SqliteLedgerOptions& options) {
  if (path.empty()) return Error::Config("the ledger path is empty");
  if (options.max_queued == 0 || options.max_batch == 0) {
    return Error::Config("the ledger's max_queued and max_batch must be at least 1");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error::Unavailable(fmt::format("cannot create the ledger directory {}: {}",
                                            parent.string(), ec.message()));
    }
  }
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/false);
  if (!db) return db.error();

  // WAL: readers (the spend command, the admin API) never block the writer, and a commit appends to
  // the log instead of rewriting pages. synchronous=FULL syncs the log at every commit, so a
  // committed batch survives a power cut too: with NORMAL, WAL is synced at checkpoints only and a
  // power cut could lose every batch since the last one (a process crash, kill -9, loses nothing
  // committed either way). One fsync per batch, on the writer thread: the price of keeping
  // `durability`'s bound (README "Ledger durability") for power loss as well.
  Result<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
  if (!mode || *mode != "wal") {
    return Error::Unavailable(fmt::format(
        "cannot put the ledger {} in WAL mode: {}", path,
        mode ? "the file system does not support it" : mode.error().message));
  }
  if (Status set = db->Exec("PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;"); !set.ok()) {
    return Error::Unavailable(
        fmt::format("cannot configure the ledger {}: {}", path, set.error().message));
  }
  if (Status schema = CreateLedgerSchema(*db, path); !schema.ok()) return schema.error();

  Result<std::unique_ptr<Statements>> statements = PrepareStatements(*db, path);
  if (!statements) return statements.error();
  return std::unique_ptr<SqliteLedgerSink>(
      new SqliteLedgerSink(path, options, std::move(*db), std::move(*statements)));
}

SqliteLedgerSink::SqliteLedgerSink(std::string path, const SqliteLedgerOptions& options,
                                   SqliteDb db, std::unique_ptr<Statements> statements)
    : BatchingLedgerSink(std::move(path), options),
      db_(std::move(db)),
      statements_(std::move(statements)) {
  StartWriter();
}

SqliteLedgerSink::~SqliteLedgerSink() {
  StopWriter();         // while db_ and the statements are alive
  statements_.reset();  // before db_, which cannot close while statements are open
}

Status SqliteLedgerSink::WriteBatch(const std::deque<CallRecord>& batch,
                                    std::uint64_t* duplicates) {
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
  // The statements point at the batch's strings and at `time` (bound without copies); on every way
  // out, unbind them before the caller frees the batch.
  IsoUtcMillisBuffer time;
  struct Unbind {
    Statements& statements;
    ~Unbind() { statements.ClearBindings(); }
  } unbind{*statements_};
  for (const CallRecord& r : batch) {
    Status written = r.late ? WriteLate(r) : WriteCall(r, time, duplicates);
    if (!written.ok()) {
      (void)db_.Exec("ROLLBACK");
      return written;
    }
  }
  if (Status committed = db_.Exec("COMMIT"); !committed.ok()) {
    (void)db_.Exec("ROLLBACK");
    return committed;
  }
  return {};
}

Status SqliteLedgerSink::WriteCall(const CallRecord& r, IsoUtcMillisBuffer& time,
                                   std::uint64_t* duplicates) {
  const std::int64_t time_ms = ToEpochMillis(r.time);
  BindCall(statements_->insert_call, r, time_ms, FormatIsoUtcMillis(time_ms, time));
  Result<int> added = RunInsert(db_, statements_->insert_call);
  if (!added) return added.error();
  if (*added == 0) {
    // The same request id twice is a bug upstream of the ledger; keep the first, say so.
    ++*duplicates;
    spdlog::warn("ledger {}: request id {} is already in the ledger; the second record is not "
                 "stored: {}", path(), r.request_id, AccessLogSink::FormatLine(r));
    return {};
  }
  return WriteAttempts(r);
}

Status SqliteLedgerSink::WriteAttempts(const CallRecord& r) {
  for (const AttemptRecord& a : r.attempts) {
    BindAttempt(statements_->insert_attempt, r.request_id, a);
    Result<int> added = RunInsert(db_, statements_->insert_attempt);
    if (!added) return added.error();
    if (*added == 0) {
      spdlog::warn("ledger {}: request {} has two attempts numbered {}; the second is not "
                   "stored", path(), r.request_id, a.n);
    }
  }
  return {};
}

// The call's row first: its update tells whether the call is there at all, and nothing of a late
// record is stored without it.
Status SqliteLedgerSink::WriteLate(const CallRecord& r) {
  BindLateAttempts(statements_->add_late_attempts, r);
  Result<int> updated = RunInsert(db_, statements_->add_late_attempts);
  if (!updated) return updated.error();
  if (*updated == 0) {
    spdlog::warn("ledger {}: request {} is not in the ledger (never recorded, or dropped); its "
                 "late attempts and judgement are not stored: {}", path(), r.request_id,
                 AccessLogSink::FormatLateLine(r));
    return {};
  }
  if (Status attempts = WriteAttempts(r); !attempts.ok()) return attempts;
  if (!r.judgement) return {};
  BindJudgement(statements_->insert_judgement, r.request_id, *r.judgement);
  Result<int> judged = RunInsert(db_, statements_->insert_judgement);
  if (!judged) return judged.error();
  return {};
}

}  // namespace switchyard::ledger

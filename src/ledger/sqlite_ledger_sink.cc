#include "ledger/sqlite_ledger_sink.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "ledger/access_log_sink.h"
#include "ledger/ledger_schema.h"
#include "ledger/ledger_time.h"

namespace switchyard::ledger {

namespace {

constexpr std::string_view kInsertCall = R"sql(
INSERT OR IGNORE INTO calls (request_id, time, time_ms, key_name, method, path, inbound,
  requested_model, route, provider, model, status, stream, error, latency_ms, ttft_ms, attempts,
  metadata, cost_nanos, estimated, cache)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
  ?21))sql";

constexpr std::string_view kInsertAttempt = R"sql(
INSERT OR IGNORE INTO attempts (request_id, n, kind, provider, model, outcome, http_status, reason,
  input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,
  reasoning_tokens, usage_reported, cost_nanos, estimated, latency_ms, ttft_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19))sql";

constexpr std::chrono::milliseconds kMaxBackoff{1000};
constexpr std::chrono::seconds kOverflowLogEvery{10};

void BindTextOrNull(SqliteStatement& stmt, int index, const std::string& text) {
  if (text.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.BindText(index, text);
  }
}

// Runs a bound INSERT once; returns the rows it added (0: ignored as a duplicate).
Result<int> RunInsert(SqliteDb& db, SqliteStatement& stmt) {
  std::string error;
  stmt.Step(&error);
  const int added = db.changes();
  stmt.Reset();
  if (!error.empty()) return Error::Unavailable(std::move(error));
  return added;
}

bool AnyEstimated(const CallRecord& record) {
  return std::any_of(record.attempts.begin(), record.attempts.end(),
                     [](const AttemptRecord& a) { return a.usage_estimated; });
}

}  // namespace

struct SqliteLedgerSink::Statements {
  SqliteStatement insert_call;
  SqliteStatement insert_attempt;
};

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
  // the log instead of rewriting pages. synchronous=NORMAL in WAL mode syncs at checkpoints only: a
  // power cut may lose the last transactions but never corrupts the file, and a process crash loses
  // nothing that was committed.
  Result<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
  if (!mode || *mode != "wal") {
    return Error::Unavailable(fmt::format(
        "cannot put the ledger {} in WAL mode: {}", path,
        mode ? "the file system does not support it" : mode.error().message));
  }
  if (Status set = db->Exec("PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"); !set.ok()) {
    return Error::Unavailable(
        fmt::format("cannot configure the ledger {}: {}", path, set.error().message));
  }
  if (Status schema = CreateLedgerSchema(*db, path); !schema.ok()) return schema.error();

  Result<SqliteStatement> insert_call = db->Prepare(kInsertCall);
  Result<SqliteStatement> insert_attempt = db->Prepare(kInsertAttempt);
  if (!insert_call || !insert_attempt) {
    return Error::Unavailable(fmt::format(
        "cannot prepare the ledger {}: {}", path,
        !insert_call ? insert_call.error().message : insert_attempt.error().message));
  }
  auto statements = std::make_unique<Statements>(
      Statements{std::move(*insert_call), std::move(*insert_attempt)});
  return std::unique_ptr<SqliteLedgerSink>(
      new SqliteLedgerSink(path, options, std::move(*db), std::move(statements)));
}

SqliteLedgerSink::SqliteLedgerSink(std::string path, const SqliteLedgerOptions& options,
                                   SqliteDb db, std::unique_ptr<Statements> statements)
    : path_(std::move(path)),
      options_(options),
      db_(std::move(db)),
      statements_(std::move(statements)),
      writer_([this] { WriterLoop(); }) {}

SqliteLedgerSink::~SqliteLedgerSink() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    paused_ = false;
  }
  wake_.notify_all();
  writer_.join();
  statements_.reset();  // before db_, which cannot close while statements are open
}

void SqliteLedgerSink::Record(const CallRecord& record) {
  CallRecord copy = record;  // outside the lock: the only real work on the caller's side
  std::unique_lock lock(mutex_);
  if (queue_.size() >= options_.max_queued) {
    ++stats_.full_waits;
    if (options_.full_wait.count() > 0) {
      ++space_waiters_;
      space_.wait_for(lock, options_.full_wait,
                      [this] { return queue_.size() < options_.max_queued; });
      --space_waiters_;
    }
    if (queue_.size() >= options_.max_queued) ++stats_.overflowed;
  }
  queue_.push_back(std::move(copy));
  ++stats_.recorded;
  // Wake the writer only where it can be waiting: for a first record, or for a full batch.
  const bool wake = queue_.size() == 1 || queue_.size() == options_.max_batch;
  lock.unlock();
  if (wake) wake_.notify_one();
}

void SqliteLedgerSink::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = stats_.recorded;
  if (finished_ >= target) return;
  ++flush_waiters_;
  wake_.notify_one();  // cut the writer's batch window short
  drained_.wait(lock, [&] { return finished_ >= target; });
  --flush_waiters_;
}

SqliteLedgerStats SqliteLedgerSink::stats() const {
  std::lock_guard lock(mutex_);
  SqliteLedgerStats stats = stats_;
  stats.queued = queue_.size();
  return stats;
}

void SqliteLedgerSink::PauseWriterForTest() {
  std::lock_guard lock(mutex_);
  paused_ = true;
}

void SqliteLedgerSink::ResumeWriterForTest() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
  }
  wake_.notify_all();
}

void SqliteLedgerSink::FailWritesForTest(int count) {
  std::lock_guard lock(mutex_);
  fail_writes_ = count;
}

void SqliteLedgerSink::WriterLoop() {
  std::deque<CallRecord> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || (!paused_ && !queue_.empty()); });
    if (queue_.empty()) break;  // stopping, and everything is written
    // Let a small batch fill for a while: fewer, larger transactions. Nobody waits on this but the
    // records' durability, so a Flush or shutdown cuts it short.
    if (queue_.size() < options_.max_batch && !stop_ && flush_waiters_ == 0 &&
        options_.batch_window.count() > 0) {
      wake_.wait_for(lock, options_.batch_window, [this] {
        return stop_ || flush_waiters_ > 0 || queue_.size() >= options_.max_batch;
      });
    }
    // The usual case takes the whole queue in O(1), so that callers of Record() find the mutex
    // free again at once; only a backlog longer than a batch is moved record by record.
    if (queue_.size() <= options_.max_batch) {
      batch.swap(queue_);
    } else {
      for (std::size_t i = 0; i < options_.max_batch; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (space_waiters_ > 0) space_.notify_all();
    // At most one warning per kOverflowLogEvery: a stalled disk must not also flood the log.
    const auto now = std::chrono::steady_clock::now();
    if (stats_.overflowed > overflow_logged_ &&
        (overflow_logged_ == 0 || now - last_overflow_log_ >= kOverflowLogEvery)) {
      overflow_logged_ = stats_.overflowed;
      last_overflow_log_ = now;
      spdlog::warn("ledger {}: the queue passed its bound of {} calls; {} calls queued beyond it so "
                   "far (the disk is slower than the calls; none is dropped)",
                   path_, options_.max_queued, overflow_logged_);
    }
    lock.unlock();
    WriteWithRetries(batch);
    const std::size_t done = batch.size();
    batch.clear();  // frees the records outside the lock
    lock.lock();
    finished_ += done;
    drained_.notify_all();
  }
}

void SqliteLedgerSink::WriteWithRetries(const std::deque<CallRecord>& batch) {
  std::chrono::milliseconds backoff = std::max(options_.retry_backoff, std::chrono::milliseconds(0));
  int failures_while_draining = 0;
  for (;;) {
    std::uint64_t duplicates = 0;
    Status written = WriteBatchOnce(batch, &duplicates);
    std::unique_lock lock(mutex_);
    if (written.ok()) {
      database_failing_ = false;
      stats_.committed += batch.size();
      stats_.duplicates += duplicates;
      ++stats_.batches;
      return;
    }
    ++stats_.write_errors;
    const bool draining = stop_ || flush_waiters_ > 0;
    // Once one batch had to be given up, the next ones of the same drain get a single try each:
    // a shutdown with a long backlog and a dead disk must not take minutes.
    const int tolerated = database_failing_ ? 1 : std::max(options_.drain_retries, 1);
    if (draining && ++failures_while_draining >= tolerated) {
      database_failing_ = true;
      stats_.abandoned += batch.size();
      lock.unlock();
      spdlog::error("ledger {}: giving up on {} calls after {} failed writes ({}); each follows as "
                    "its access-log line", path_, batch.size(), failures_while_draining,
                    written.error().message);
      for (const CallRecord& record : batch) {
        spdlog::error("ledger: unwritten call {}", AccessLogSink::FormatLine(record));
      }
      return;
    }
    spdlog::error("ledger {}: cannot write {} calls: {}; retrying in {} ms", path_, batch.size(),
                  written.error().message, backoff.count());
    // Wait out the backoff, but start counting down to giving up as soon as a Flush or shutdown
    // begins to wait.
    wake_.wait_for(lock, backoff, [&] { return (stop_ || flush_waiters_ > 0) != draining; });
    backoff = std::min(std::max(backoff * 2, std::chrono::milliseconds(1)), kMaxBackoff);
  }
}

Status SqliteLedgerSink::WriteBatchOnce(const std::deque<CallRecord>& batch,
                                        std::uint64_t* duplicates) {
  {
    std::lock_guard lock(mutex_);
    if (fail_writes_ != 0) {
      if (fail_writes_ > 0) --fail_writes_;
      return Error::Unavailable("disk I/O error (injected by FailWritesForTest)");
    }
  }
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
  auto fail = [this](Error error) -> Status {
    (void)db_.Exec("ROLLBACK");
    return error;
  };
  SqliteStatement& call = statements_->insert_call;
  SqliteStatement& attempt = statements_->insert_attempt;
  for (const CallRecord& r : batch) {
    const std::int64_t time_ms = ToEpochMillis(r.time);
    call.BindText(1, r.request_id);
    call.BindText(2, FormatIsoUtcMillis(time_ms));
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
    BindTextOrNull(call, 14, r.error);
    call.BindInt(15, r.latency_ms);
    call.BindOptionalInt(16, r.ttft_ms);
    call.BindInt(17, static_cast<std::int64_t>(r.attempts.size()));
    BindTextOrNull(call, 18, r.metadata_json);
    call.BindOptionalInt(19, r.TotalCostNanos());
    call.BindInt(20, AnyEstimated(r) ? 1 : 0);
    call.BindNull(21);  // cache outcome: not in CallRecord yet
    Result<int> added = RunInsert(db_, call);
    if (!added) return fail(added.error());
    if (*added == 0) {
      // The same request id twice is a bug upstream of the ledger; keep the first, say so.
      ++*duplicates;
      spdlog::warn("ledger {}: request id {} is already in the ledger; the second record is not "
                   "stored: {}", path_, r.request_id, AccessLogSink::FormatLine(r));
      continue;
    }
    for (const AttemptRecord& a : r.attempts) {
      const canonical::Usage& u = a.usage;
      attempt.BindText(1, r.request_id);
      attempt.BindInt(2, a.n);
      attempt.BindText(3, ToString(a.kind));
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
      Result<int> attempt_added = RunInsert(db_, attempt);
      if (!attempt_added) return fail(attempt_added.error());
      if (*attempt_added == 0) {
        spdlog::warn("ledger {}: request {} has two attempts numbered {}; the second is not "
                     "stored", path_, r.request_id, a.n);
      }
    }
  }
  if (Status committed = db_.Exec("COMMIT"); !committed.ok()) return fail(committed.error());
  return {};
}

}  // namespace switchyard::ledger

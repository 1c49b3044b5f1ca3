// BatchingLedgerSink: the queue and writer thread shared by the ledger backends (SqliteLedgerSink,
// PostgresLedgerSink). A DurableCallSink whose Record() copies the record into a bounded in-memory
// queue and returns; one writer thread hands batches of up to `max_batch` records to the backend's
// WriteBatch(), waiting at most `batch_window` (`ledger.flush_ms`) for a batch to fill — not at
// all when a Flush, a shutdown or a durable record is waiting. No request ever waits for the disk
// or the network, except a strict call waiting (asynchronously) for its own commit.
//
// Group commit (`ledger.durability: strict`): RecordDurably() queues the record like Record() and
// calls back once the transaction holding it has committed. The writer takes everything queued when
// it is free, so the calls that arrive while one transaction commits share the next one (as in
// LevelDB's writer queue): one commit (one fsync) per batch, not per call, and no batch window.
//
// Full-queue policy — the bound holds: when `max_queued` records are already waiting, Record()
// drops the record and counts it in `dropped` (the writer logs a warning with the count, at most
// every 10 s), and RecordDurably() calls back at once with an Unavailable error (counted too). A
// caller never waits for room. Memory stays bounded when the database is stalled; what is lost is
// counted (`switchyard_ledger_dropped_total` on /metrics).
//
// Write failures: a failed batch is retried with the same records (backoff from `retry_backoff`
// doubling to 1 s; a backend reconnects inside WriteBatch), counted in `write_errors` and logged.
// While Flush(), the destructor or a durable record is waiting, after `drain_retries` consecutive
// failures the batch is given up (and each later batch after one failure, until a write succeeds
// again): each call is logged at error level as its access-log JSON line (so it can be recovered
// from the log) and counted in `abandoned`; its durable callers get an Unavailable error, and the
// record is not written later. A request id already in the ledger is not stored twice
// (`duplicates`; a durable caller of such a record is told it committed: a row with its id is in).
//
// For a backend: construct, then call StartWriter() as the constructor's last step; call StopWriter()
// as the destructor's first step (it drains the queue and joins the writer while the backend's
// members are still alive). WriteBatch() runs on the writer thread only.
//
// Late records (RecordLate: attempts and a judgement that end after the client has its answer)
// go through the same queue as the calls, so a call's row is always written before what is added
// to it; they count as records in the stats.
//
// Thread-safety: Record(), RecordDurably(), RecordLate(), Flush() and stats() may be called from
// any thread at once. Callbacks run on the writer thread (or on the caller's, for a full queue),
// never under the sink's lock. No call may race with the destructor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "ledger/call_sink.h"

namespace switchyard::ledger {

struct LedgerSinkOptions {
  std::size_t max_queued = 100'000;            // the queue's bound (see the full-queue policy)
  std::size_t max_batch = 500;                 // records per transaction, at most
  std::chrono::milliseconds batch_window{50};  // a batch waits at most this long to fill
  std::chrono::milliseconds retry_backoff{10};  // first wait after a failed transaction
  int drain_retries = 5;  // failures tolerated per batch while Flush()/shutdown waits
};

struct LedgerSinkStats {
  std::uint64_t recorded = 0;      // calls and late records accepted (Record, RecordDurably, ...)
  std::uint64_t committed = 0;     // calls in committed transactions (duplicates included)
  std::uint64_t dropped = 0;       // calls refused because the queue was full (never written)
  std::uint64_t write_errors = 0;  // failed transactions (each one retried)
  std::uint64_t abandoned = 0;     // calls logged instead of stored: the database kept failing
  std::uint64_t duplicates = 0;    // calls not stored because their request id already was
  std::uint64_t batches = 0;       // committed transactions
  std::size_t queued = 0;          // calls waiting now
};

class BatchingLedgerSink : public DurableCallSink {
 public:
  ~BatchingLedgerSink() override;  // stops the writer if the backend has not (see above)

  BatchingLedgerSink(const BatchingLedgerSink&) = delete;
  BatchingLedgerSink& operator=(const BatchingLedgerSink&) = delete;

  // Copies `record` into the queue; never does I/O or waits. See the full-queue policy above.
  void Record(const CallRecord& record) override;
  // Record(), and `committed` is called once the record is committed, or with an error when it
  // cannot be (queue full, or given up after failed writes: then it is never written).
  void RecordDurably(const CallRecord& record, Committed committed) override;
  // Queues a late record (marked CallRecord::late) behind the calls already queued, so that it is
  // written after its call's row: the same queue, bound, drop policy and counts as Record(). Never
  // durable. The backend adds it to the stored call (see WriteBatch).
  void RecordLate(const CallRecord& record) override;
  // Returns once every record queued before the call is committed (or, when the database keeps
  // failing, abandoned as described above).
  void Flush() override;

  LedgerSinkStats stats() const;

  // Test hooks: a paused writer takes no batch (so the queue fills deterministically); the next
  // `count` batches fail as if the database had (-1: every one, until set again).
  void PauseWriterForTest();
  void ResumeWriterForTest();
  void FailWritesForTest(int count);

 protected:
  // `log_name` names the ledger in log lines (a path, or a host and database: never a secret).
  BatchingLedgerSink(std::string log_name, const LedgerSinkOptions& options);

  void StartWriter();
  void StopWriter();  // drains the queue, then joins the writer; idempotent

  // Writes `batch` in one transaction, or fails leaving nothing of it written. Counts the records
  // whose request id was already stored in `*duplicates`. Writer thread only.
  // A late record (CallRecord::late) adds to its stored call: its attempts are inserted, the call
  // row's attempts, cost (NULL when either is unknown) and estimated flag updated, and its
  // judgement (the reason as JudgementRecord::StoredReason) stored unless one with the same
  // request id and variant_b is. When the call row is not there (never recorded, or dropped), the
  // record is skipped with a warning; the batch does not fail.
  virtual Status WriteBatch(const std::deque<CallRecord>& batch, std::uint64_t* duplicates) = 0;

  const std::string& log_name() const { return log_name_; }
  const LedgerSinkOptions& options() const { return options_; }

 private:
  struct Waiter {
    std::uint64_t sequence;  // the record's place among all records accepted
    Committed committed;
  };

  // Queues `record` (and its waiter, when given) unless the queue is full; false when full.
  bool Enqueue(CallRecord record, Committed* committed);
  void WriterLoop();
  // Whether a caller is waiting for the queue to be written: a Flush, the shutdown, a durable
  // record. Then no batch window is waited out, and failing batches are given up.
  bool SomeoneWaits() const;  // REQUIRES: mutex_ held
  void LogDrops(std::chrono::steady_clock::time_point now);  // REQUIRES: mutex_ held
  // Writes `batch` until it is committed (true) or abandoned (false); writer thread only.
  bool WriteWithRetries(const std::deque<CallRecord>& batch);
  // Calls back the durable waiters of every record finished so far (after the lock is released).
  void CallBackFinished(std::unique_lock<std::mutex>& lock, bool committed);
  // One WriteBatch, or an injected failure (FailWritesForTest).
  Status WriteOnce(const std::deque<CallRecord>& batch, std::uint64_t* duplicates);

  const std::string log_name_;
  const LedgerSinkOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // GUARDED_BY(mutex_): records, flush, stop → the writer
  std::condition_variable drained_;  // GUARDED_BY(mutex_): a batch finished → Flush()
  std::deque<CallRecord> queue_;     // GUARDED_BY(mutex_)
  std::deque<Waiter> waiters_;       // GUARDED_BY(mutex_): unfinished durable records, in order
  std::uint64_t finished_ = 0;       // GUARDED_BY(mutex_): records committed or abandoned
  int flush_waiters_ = 0;            // GUARDED_BY(mutex_)
  bool stop_ = false;                // GUARDED_BY(mutex_)
  bool paused_ = false;              // GUARDED_BY(mutex_)
  int fail_writes_ = 0;              // GUARDED_BY(mutex_)
  bool database_failing_ = false;    // GUARDED_BY(mutex_): the last batch was given up
  std::uint64_t drops_logged_ = 0;   // GUARDED_BY(mutex_): `dropped` at the last warning
  std::chrono::steady_clock::time_point last_drop_log_;  // GUARDED_BY(mutex_)
  LedgerSinkStats stats_;            // GUARDED_BY(mutex_), except `queued` (computed)
  std::thread writer_;               // started by StartWriter, joined by StopWriter
};

}  // namespace switchyard::ledger

// BatchingLedgerSink: the queue and writer thread shared by the ledger backends (SqliteLedgerSink,
// PostgresLedgerSink). A CallSink whose Record() copies the record into a bounded in-memory queue and
// returns; one writer thread hands batches of up to `max_batch` records to the backend's
// WriteBatch(), waiting at most `batch_window` for a batch to fill (not at all when a Flush or
// shutdown is waiting). No request ever waits for the disk or the network.
//
// Full-queue policy — never drop, never stall a caller for long:
//   1. When `max_queued` records are already waiting, Record() waits up to `full_wait` (default 2 ms)
//      for the writer to take its next batch (which frees up to `max_batch` places at once). Counted
//      in `full_waits`. This is the backpressure that keeps memory bounded while the database is
//      merely slower than the calls.
//   2. If there is still no room, the record is queued anyway, past the bound, and counted in
//      `overflowed`; the writer logs a warning with the count (at most every 10 s). It is written
//      like any other record.
// So a record is never lost to a full queue and a caller waits at most `full_wait`; the price is
// memory beyond the bound while the database stays stalled, which the warning makes visible.
//
// Write failures: a failed batch is retried with the same records (backoff from `retry_backoff`
// doubling to 1 s; a backend reconnects inside WriteBatch), counted in `write_errors` and logged.
// While Flush() or the destructor is waiting, after `drain_retries` consecutive failures the batch is
// given up (and each later batch after one failure, until a write succeeds again): each call is
// logged at error level as its access-log JSON line (so it can be recovered from the log) and
// counted in `abandoned`. A request id already in the ledger is not stored twice (`duplicates`).
//
// For a backend: construct, then call StartWriter() as the constructor's last step; call StopWriter()
// as the destructor's first step (it drains the queue and joins the writer while the backend's
// members are still alive). WriteBatch() runs on the writer thread only.
//
// Thread-safety: Record(), Flush() and stats() may be called from any thread at once. No call may
// race with the destructor.
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
  std::chrono::milliseconds full_wait{2};      // how long Record() may wait for room
  std::chrono::milliseconds retry_backoff{10};  // first wait after a failed transaction
  int drain_retries = 5;  // failures tolerated per batch while Flush()/shutdown waits
};

struct LedgerSinkStats {
  std::uint64_t recorded = 0;      // calls accepted by Record()
  std::uint64_t committed = 0;     // calls in committed transactions (duplicates included)
  std::uint64_t full_waits = 0;    // Record() calls that found the queue full and waited
  std::uint64_t overflowed = 0;    // of those, calls queued past the bound after waiting
  std::uint64_t write_errors = 0;  // failed transactions (each one retried)
  std::uint64_t abandoned = 0;     // calls logged instead of stored: the database kept failing
  std::uint64_t duplicates = 0;    // calls not stored because their request id already was
  std::uint64_t batches = 0;       // committed transactions
  std::size_t queued = 0;          // calls waiting now
};

class BatchingLedgerSink : public CallSink {
 public:
  ~BatchingLedgerSink() override;  // stops the writer if the backend has not (see above)

  BatchingLedgerSink(const BatchingLedgerSink&) = delete;
  BatchingLedgerSink& operator=(const BatchingLedgerSink&) = delete;

  // Copies `record` into the queue; never does I/O. See the full-queue policy above.
  void Record(const CallRecord& record) override;
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
  virtual Status WriteBatch(const std::deque<CallRecord>& batch, std::uint64_t* duplicates) = 0;

  const std::string& log_name() const { return log_name_; }
  const LedgerSinkOptions& options() const { return options_; }

 private:
  void WriterLoop();
  // Writes `batch` until it is committed or abandoned (writer thread only).
  void WriteWithRetries(const std::deque<CallRecord>& batch);
  // One WriteBatch, or an injected failure (FailWritesForTest).
  Status WriteOnce(const std::deque<CallRecord>& batch, std::uint64_t* duplicates);

  const std::string log_name_;
  const LedgerSinkOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // GUARDED_BY(mutex_): records, flush, stop → the writer
  std::condition_variable space_;    // GUARDED_BY(mutex_): the writer took a batch → Record()
  std::condition_variable drained_;  // GUARDED_BY(mutex_): a batch finished → Flush()
  std::deque<CallRecord> queue_;     // GUARDED_BY(mutex_)
  std::uint64_t finished_ = 0;       // GUARDED_BY(mutex_): records committed or abandoned
  int flush_waiters_ = 0;            // GUARDED_BY(mutex_)
  int space_waiters_ = 0;            // GUARDED_BY(mutex_)
  bool stop_ = false;                // GUARDED_BY(mutex_)
  bool paused_ = false;              // GUARDED_BY(mutex_)
  int fail_writes_ = 0;              // GUARDED_BY(mutex_)
  bool database_failing_ = false;    // GUARDED_BY(mutex_): the last batch was given up
  std::uint64_t overflow_logged_ = 0;  // GUARDED_BY(mutex_): `overflowed` at the last warning
  std::chrono::steady_clock::time_point last_overflow_log_;  // GUARDED_BY(mutex_)
  LedgerSinkStats stats_;            // GUARDED_BY(mutex_), except `queued` (computed)
  std::thread writer_;               // started by StartWriter, joined by StopWriter
};

}  // namespace switchyard::ledger

#include "ledger/sinks/batching_ledger_sink.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "ledger/sinks/access_log_sink.h"

namespace switchyard::ledger {
namespace {

constexpr std::chrono::milliseconds kMaxBackoff{1000};
constexpr std::chrono::seconds kDropLogEvery{10};

}  // namespace

BatchingLedgerSink::BatchingLedgerSink(std::string log_name, const LedgerSinkOptions& options)
    : log_name_(std::move(log_name)), options_(options) {}

BatchingLedgerSink::~BatchingLedgerSink() { StopWriter(); }

void BatchingLedgerSink::StartWriter() { writer_ = std::thread([this] { WriterLoop(); }); }

void BatchingLedgerSink::StopWriter() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    paused_ = false;
  }
  wake_.notify_all();
  writer_.join();
}

void BatchingLedgerSink::Record(const CallRecord& record) { (void)Enqueue(record, nullptr); }

void BatchingLedgerSink::RecordDurably(const CallRecord& record, Committed committed) {
  if (!Enqueue(record, &committed)) {
    committed(Error::Unavailable("the ledger queue is full"));
  }
}

void BatchingLedgerSink::RecordLate(const CallRecord& record) {
  CallRecord copy = record;
  copy.late = true;  // the writer tells a late record from a call by this alone
  (void)Enqueue(std::move(copy), nullptr);
}

// `record` is the caller's copy, made outside the lock: the only real work on the caller's side.
bool BatchingLedgerSink::Enqueue(CallRecord record, Committed* committed) {
  std::unique_lock lock(mutex_);
  if (queue_.size() >= options_.max_queued) {
    ++stats_.dropped;  // the writer logs it, rate-limited: never the request path
    return false;
  }
  if (committed != nullptr) waiters_.push_back({stats_.recorded, std::move(*committed)});
  queue_.push_back(std::move(record));
  ++stats_.recorded;
  // Wake the writer only where it can be waiting: for a first record, for a full batch, or for a
  // durable record (which ends the batch window).
  const bool wake = queue_.size() == 1 || queue_.size() == options_.max_batch ||
                    committed != nullptr;
  lock.unlock();
  if (wake) wake_.notify_one();
  return true;
}

void BatchingLedgerSink::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = stats_.recorded;
  if (finished_ >= target) return;
  ++flush_waiters_;
  wake_.notify_one();  // cut the writer's batch window short
  drained_.wait(lock, [&] { return finished_ >= target; });
  --flush_waiters_;
}

LedgerSinkStats BatchingLedgerSink::stats() const {
  std::lock_guard lock(mutex_);
  LedgerSinkStats stats = stats_;
  stats.queued = queue_.size();
  return stats;
}

void BatchingLedgerSink::PauseWriterForTest() {
  std::lock_guard lock(mutex_);
  paused_ = true;
}

void BatchingLedgerSink::ResumeWriterForTest() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
  }
  wake_.notify_all();
}

void BatchingLedgerSink::FailWritesForTest(int count) {
  std::lock_guard lock(mutex_);
  fail_writes_ = count;
}

bool BatchingLedgerSink::SomeoneWaits() const {
  return stop_ || flush_waiters_ > 0 || !waiters_.empty();
}

void BatchingLedgerSink::WriterLoop() {
  std::deque<CallRecord> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || (!paused_ && !queue_.empty()); });
    if (queue_.empty()) break;  // stopping, and everything is written
    // Let a small batch fill for a while: fewer, larger transactions. Nobody waits on this but the
    // records' durability, so a Flush, a shutdown or a durable record cuts it short.
    if (queue_.size() < options_.max_batch && !SomeoneWaits() &&
        options_.batch_window.count() > 0) {
      wake_.wait_for(lock, options_.batch_window, [this] {
        return SomeoneWaits() || queue_.size() >= options_.max_batch;
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
    LogDrops(std::chrono::steady_clock::now());
    lock.unlock();
    const bool committed = WriteWithRetries(batch);
    const std::size_t done = batch.size();
    batch.clear();  // frees the records outside the lock
    lock.lock();
    finished_ += done;
    CallBackFinished(lock, committed);
    drained_.notify_all();
  }
}

// At most one warning per kDropLogEvery: a stalled database must not also flood the log.
void BatchingLedgerSink::LogDrops(std::chrono::steady_clock::time_point now) {
  if (stats_.dropped == drops_logged_ ||
      (drops_logged_ != 0 && now - last_drop_log_ < kDropLogEvery)) {
    return;
  }
  drops_logged_ = stats_.dropped;
  last_drop_log_ = now;
  spdlog::warn("ledger {}: the queue was full ({} calls waiting to be written); {} calls dropped "
               "so far, not recorded (the database is slower than the calls)",
               log_name_, options_.max_queued, drops_logged_);
}

void BatchingLedgerSink::CallBackFinished(std::unique_lock<std::mutex>& lock, bool committed) {
  if (waiters_.empty() || waiters_.front().sequence >= finished_) return;
  std::vector<Committed> ready;
  while (!waiters_.empty() && waiters_.front().sequence < finished_) {
    ready.push_back(std::move(waiters_.front().committed));
    waiters_.pop_front();
  }
  lock.unlock();
  for (Committed& callback : ready) {
    callback(committed ? Status() : Status(Error::Unavailable("the ledger could not be written")));
  }
  lock.lock();
}

bool BatchingLedgerSink::WriteWithRetries(const std::deque<CallRecord>& batch) {
  std::chrono::milliseconds backoff = std::max(options_.retry_backoff, std::chrono::milliseconds(0));
  int failures_while_draining = 0;
  for (;;) {
    std::uint64_t duplicates = 0;
    Status written = WriteOnce(batch, &duplicates);
    std::unique_lock lock(mutex_);
    if (written.ok()) {
      database_failing_ = false;
      stats_.committed += batch.size();
      stats_.duplicates += duplicates;
      ++stats_.batches;
      return true;
    }
    ++stats_.write_errors;
    const bool draining = SomeoneWaits();
    // Once one batch had to be given up, the next ones of the same drain get a single try each:
    // a shutdown with a long backlog and a dead database must not take minutes.
    const int tolerated = database_failing_ ? 1 : std::max(options_.drain_retries, 1);
    if (draining && ++failures_while_draining >= tolerated) {
      database_failing_ = true;
      stats_.abandoned += batch.size();
      lock.unlock();
      spdlog::error("ledger {}: giving up on {} calls after {} failed writes ({}); each follows as "
                    "its access-log line", log_name_, batch.size(), failures_while_draining,
                    written.error().message);
      for (const CallRecord& record : batch) {
        if (record.late) {
          spdlog::error("ledger: unwritten late record {}", AccessLogSink::FormatLateLine(record));
        } else {
          spdlog::error("ledger: unwritten call {}", AccessLogSink::FormatLine(record));
        }
      }
      return false;
    }
    spdlog::error("ledger {}: cannot write {} calls: {}; retrying in {} ms", log_name_, batch.size(),
                  written.error().message, backoff.count());
    // Wait out the backoff, but start counting down to giving up as soon as someone begins to
    // wait for the queue.
    wake_.wait_for(lock, backoff, [&] { return SomeoneWaits() != draining; });
    backoff = std::min(std::max(backoff * 2, std::chrono::milliseconds(1)), kMaxBackoff);
  }
}

Status BatchingLedgerSink::WriteOnce(const std::deque<CallRecord>& batch,
                                     std::uint64_t* duplicates) {
  {
    std::lock_guard lock(mutex_);
    if (fail_writes_ != 0) {
      if (fail_writes_ > 0) --fail_writes_;
      return Error::Unavailable("I/O error (injected by FailWritesForTest)");
    }
  }
  return WriteBatch(batch, duplicates);
}

}  // namespace switchyard::ledger

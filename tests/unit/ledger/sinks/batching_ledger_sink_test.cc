// BatchingLedgerSink's queue, bound and group commit, against a fake backend whose writes the test
// holds and releases (an injected slow writer): every assertion is on counts and on the order of
// events, never on time.
#include "ledger/sinks/batching_ledger_sink.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "unit/ledger/ledger_test_util.h"

namespace switchyard::ledger {
namespace {

using testing_util::SimpleCall;

// A backend that writes nothing: it logs each batch it is given, and can be held inside WriteBatch
// until the test releases it — the slowest database there is, on command.
class FakeLedger : public BatchingLedgerSink {
 public:
  explicit FakeLedger(const LedgerSinkOptions& options) : BatchingLedgerSink("fake", options) {
    StartWriter();
  }
  ~FakeLedger() override {
    Release();
    StopWriter();
  }

  // The next WriteBatch (and each after it) waits until Release().
  void Hold() {
    std::lock_guard lock(fake_mutex_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(fake_mutex_);
      held_ = false;
    }
    fake_changed_.notify_all();
  }
  // Returns once the writer is inside a held WriteBatch.
  void AwaitWriterHeld() {
    std::unique_lock lock(fake_mutex_);
    fake_changed_.wait(lock, [this] { return writer_held_; });
  }

  // Appends to the shared event log (thread-safe).
  void Log(std::string event) {
    std::lock_guard lock(fake_mutex_);
    events_.push_back(std::move(event));
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(fake_mutex_);
    return events_;
  }

 protected:
  Status WriteBatch(const std::deque<CallRecord>& batch, std::uint64_t*) override {
    std::unique_lock lock(fake_mutex_);
    writer_held_ = held_;
    fake_changed_.notify_all();
    fake_changed_.wait(lock, [this] { return !held_; });
    writer_held_ = false;
    std::string ids;
    for (const CallRecord& record : batch) {
      ids += std::string(ids.empty() ? "" : ",") + (record.late ? "late " : "") + record.request_id;
    }
    events_.push_back("commit " + ids);
    return {};
  }

 private:
  mutable std::mutex fake_mutex_;
  std::condition_variable fake_changed_;
  bool held_ = false;
  bool writer_held_ = false;
  std::vector<std::string> events_;
};

LedgerSinkOptions Options(std::size_t max_queued, std::chrono::milliseconds window) {
  LedgerSinkOptions options;
  options.max_queued = max_queued;
  options.batch_window = window;
  options.retry_backoff = std::chrono::milliseconds(0);
  return options;
}

// Silences the sink's warnings while a test provokes them on purpose.
class QuietLog {
 public:
  QuietLog() : level_(spdlog::get_level()) { spdlog::set_level(spdlog::level::off); }
  ~QuietLog() { spdlog::set_level(level_); }

 private:
  spdlog::level::level_enum level_;
};

// Defect 14: the queue grew past its bound while the database was slow. Now a record that finds
// the queue full is dropped and counted, and the queue never holds more than its bound.
TEST(BatchingLedgerSinkTest, ASlowWriterCannotPushTheQueuePastItsBound) {
  QuietLog quiet;
  FakeLedger ledger(Options(/*max_queued=*/8, std::chrono::milliseconds(0)));
  ledger.Hold();
  ledger.Record(SimpleCall("first"));
  ledger.AwaitWriterHeld();  // the writer has taken "first" and is stuck writing it

  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) ledger.Record(SimpleCall(fmt::format("r{}-{}", t, i)));
    });
  }
  for (std::thread& thread : threads) thread.join();
  LedgerSinkStats stats = ledger.stats();
  EXPECT_EQ(stats.queued, 8u);
  EXPECT_EQ(stats.dropped, 92u);  // 100 offered, 8 places
  EXPECT_EQ(stats.recorded, 9u);  // "first" and the 8 that fitted

  ledger.Release();
  ledger.Flush();
  stats = ledger.stats();
  EXPECT_EQ(stats.committed, 9u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.dropped, 92u);
}

TEST(BatchingLedgerSinkTest, DurableRecordsArrivingDuringACommitShareTheNextOne) {
  // An hour's batch window: only the durable records' own wake-ups can end it.
  FakeLedger ledger(Options(100, std::chrono::hours(1)));
  ledger.Hold();
  auto committed = [&ledger](std::string id) {
    return [&ledger, id](Status status) {
      ledger.Log((status.ok() ? "committed " : "failed ") + id);
    };
  };
  ledger.RecordDurably(SimpleCall("a"), committed("a"));
  ledger.AwaitWriterHeld();  // "a" is being committed; b, c and d arrive meanwhile
  ledger.RecordDurably(SimpleCall("b"), committed("b"));
  ledger.RecordDurably(SimpleCall("c"), committed("c"));
  ledger.Record(SimpleCall("plain"));  // a batch record rides along
  ledger.RecordDurably(SimpleCall("d"), committed("d"));
  ledger.Release();
  ledger.Flush();

  const std::vector<std::string> expected = {"commit a",           "committed a",
                                             "commit b,c,plain,d", "committed b",
                                             "committed c",        "committed d"};
  EXPECT_EQ(ledger.events(), expected);
  const LedgerSinkStats stats = ledger.stats();
  EXPECT_EQ(stats.batches, 2u);  // two commits for five calls
  EXPECT_EQ(stats.committed, 5u);
}

TEST(BatchingLedgerSinkTest, ADurableRecordDoesNotWaitOutTheBatchWindow) {
  FakeLedger ledger(Options(100, std::chrono::hours(1)));
  std::promise<Status> promise;
  std::future<Status> done = promise.get_future();
  ledger.Record(SimpleCall("earlier"));  // the writer is now in its hour-long window
  ledger.RecordDurably(SimpleCall("strict"),
                       [&promise](Status status) { promise.set_value(std::move(status)); });
  // Without the wake-up this would be an hour: the wait only guards against a hang.
  ASSERT_EQ(done.wait_for(std::chrono::minutes(1)), std::future_status::ready);
  EXPECT_TRUE(done.get().ok());
  const std::vector<std::string> expected = {"commit earlier,strict"};
  EXPECT_EQ(ledger.events(), expected);
}

TEST(BatchingLedgerSinkTest, ADurableRecordThatFindsTheQueueFullFailsAtOnceAndIsCounted) {
  QuietLog quiet;
  FakeLedger ledger(Options(/*max_queued=*/2, std::chrono::milliseconds(0)));
  ledger.PauseWriterForTest();
  ledger.Record(SimpleCall("a"));
  ledger.Record(SimpleCall("b"));
  std::vector<std::string> outcomes;
  ledger.RecordDurably(SimpleCall("c"), [&outcomes](Status status) {
    outcomes.push_back(status.ok() ? "ok" : status.error().message);
  });
  // Called back on this thread, before RecordDurably returned.
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0], "the ledger queue is full");
  EXPECT_EQ(ledger.stats().dropped, 1u);
  ledger.ResumeWriterForTest();
  ledger.Flush();
  const std::vector<std::string> expected = {"commit a,b"};
  EXPECT_EQ(ledger.events(), expected);
}

TEST(BatchingLedgerSinkTest, ADurableRecordTheDatabaseKeepsRefusingFailsAndIsNeverWritten) {
  QuietLog quiet;
  LedgerSinkOptions options = Options(100, std::chrono::milliseconds(0));
  options.drain_retries = 3;
  FakeLedger ledger(options);
  ledger.FailWritesForTest(-1);
  std::promise<Status> promise;
  std::future<Status> done = promise.get_future();
  ledger.RecordDurably(SimpleCall("strict"),
                       [&promise](Status status) { promise.set_value(std::move(status)); });
  ASSERT_EQ(done.wait_for(std::chrono::minutes(1)), std::future_status::ready);
  EXPECT_FALSE(done.get().ok());
  LedgerSinkStats stats = ledger.stats();
  EXPECT_EQ(stats.write_errors, 3u);  // given up after drain_retries, not retried for ever
  EXPECT_EQ(stats.abandoned, 1u);

  ledger.FailWritesForTest(0);  // the database is back: the given-up record stays given up
  ledger.Record(SimpleCall("later"));
  ledger.Flush();
  const std::vector<std::string> expected = {"commit later"};
  EXPECT_EQ(ledger.events(), expected);
}

// A late record rides the calls' queue, behind the call it adds to, marked late whatever the
// caller set; it counts as a record, and a full queue drops and counts it like a call.
TEST(BatchingLedgerSinkTest, LateRecordsAreQueuedBehindTheirCallsAndCounted) {
  QuietLog quiet;
  FakeLedger ledger(Options(/*max_queued=*/3, std::chrono::milliseconds(0)));
  ledger.PauseWriterForTest();
  ledger.Record(SimpleCall("a"));
  CallRecord late = SimpleCall("a");
  late.late = false;
  ledger.RecordLate(late);
  ledger.Record(SimpleCall("b"));
  ledger.RecordLate(SimpleCall("b"));  // the queue is full: dropped
  LedgerSinkStats stats = ledger.stats();
  EXPECT_EQ(stats.recorded, 3u);
  EXPECT_EQ(stats.queued, 3u);
  EXPECT_EQ(stats.dropped, 1u);
  ledger.ResumeWriterForTest();
  ledger.Flush();
  const std::vector<std::string> expected = {"commit a,late a,b"};
  EXPECT_EQ(ledger.events(), expected);
  stats = ledger.stats();
  EXPECT_EQ(stats.committed, 3u);
  EXPECT_EQ(stats.queued, 0u);
}

}  // namespace
}  // namespace switchyard::ledger

// AccessLogSink: one JSON line per call (and its attempts), and one per late record, to stdout,
// stderr or a file. Lines are formatted on the request path (cheap) and written by a background
// thread, so a slow disk never delays a response. The queue is bounded: past the bound, lines are
// counted as dropped and the count is reported on the next line written, rather than blocking
// calls.
//
// Never contains a key: the record carries the gateway key's name only, and provider keys never
// reach a CallRecord.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "ledger/call_sink.h"

namespace switchyard::ledger {

class AccessLogSink : public CallSink {
 public:
  // `destination`: "stdout", "stderr", or a file path (appended to). Returns nullptr with `error` set
  // when the file cannot be opened.
  static std::unique_ptr<AccessLogSink> Open(const std::string& destination, std::string* error);
  ~AccessLogSink() override;

  void Record(const CallRecord& record) override;
  // A late record's line (FormatLateLine), queued like a call's.
  void RecordLate(const CallRecord& record) override;
  void Flush() override;

  // The JSON line for a record (without the newline); public for tests.
  static std::string FormatLine(const CallRecord& record);
  // The JSON line for a late record (CallRecord::late): {"late":true, "time", "request_id",
  // "attempts": [each as in FormatLine's "attempt_log"], "judgement": {...} when there is one}.
  static std::string FormatLateLine(const CallRecord& record);

 private:
  AccessLogSink(std::FILE* file, bool owns_file);
  void Enqueue(std::string line);
  void WriterLoop();

  static constexpr std::size_t kMaxQueued = 100'000;

  std::FILE* const file_;
  const bool owns_file_;
  std::mutex mutex_;
  std::condition_variable wake_;      // GUARDED_BY(mutex_): new lines or stop
  std::condition_variable drained_;   // GUARDED_BY(mutex_): queue empty and written
  std::deque<std::string> queue_;     // GUARDED_BY(mutex_)
  std::size_t dropped_ = 0;           // GUARDED_BY(mutex_)
  bool writing_ = false;              // GUARDED_BY(mutex_)
  bool stop_ = false;                 // GUARDED_BY(mutex_)
  std::thread writer_;
};

}  // namespace switchyard::ledger

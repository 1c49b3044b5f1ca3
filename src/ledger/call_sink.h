// CallSink: where finished calls go (the access log, the metrics, the cost ledger). Record() is
// called on the request path and must not block on I/O: a sink queues the record and writes it from
// its own thread. Flush() runs at shutdown, after the last call, and returns once everything queued
// is written.
//
// DurableCallSink: a sink that can also say when a record is safely stored — the ledger, for
// `ledger.durability: strict` (CONTRACT.md "Ledger durability"), where a call's row must be
// committed before the last byte of its answer goes out.
#pragma once

#include <functional>

#include "core/result.h"
#include "ledger/call_record.h"

namespace switchyard::ledger {

class CallSink {
 public:
  virtual ~CallSink() = default;
  virtual void Record(const CallRecord& record) = 0;  // thread-safe
  // A late record (CallRecord::late: attempts and a judgement added to a call recorded before);
  // thread-safe, must not block. By default a sink ignores it.
  virtual void RecordLate(const CallRecord& record) { (void)record; }
  virtual void Flush() = 0;
};

class DurableCallSink : public CallSink {
 public:
  // Called exactly once per RecordDurably(): OK once the record is committed; an error when it
  // cannot be (then it is never written). May run on any thread; must not block.
  using Committed = std::function<void(Status)>;

  // Queues `record` like Record() and calls `committed` when its fate is known. Thread-safe; never
  // blocks the caller.
  virtual void RecordDurably(const CallRecord& record, Committed committed) = 0;
};

}  // namespace switchyard::ledger

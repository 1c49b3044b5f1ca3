// CallSink: where finished calls go (the access log now; the cost ledger, metrics and experiment
// results later). Record() is called on the request path and must not block on I/O: a sink queues the
// record and writes it from its own thread. Flush() runs at shutdown, after the last call, and
// returns once everything queued is written.
#pragma once

#include "ledger/call_record.h"

namespace switchyard::ledger {

class CallSink {
 public:
  virtual ~CallSink() = default;
  virtual void Record(const CallRecord& record) = 0;  // thread-safe
  virtual void Flush() = 0;
};

}  // namespace switchyard::ledger

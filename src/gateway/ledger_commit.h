// AwaitCommit: a coroutine's wait for a DurableCallSink's commit (ledger `durability: strict`),
// without blocking its thread: the sink calls back on its writer thread, the callback posts to the
// waiting coroutine's executor, and that handler wakes the coroutine by cancelling a timer that
// would never expire. Many calls of one worker wait at once this way, and share the ledger's
// commits (group commit).
//
// REQUIRES: the sink calls back before the coroutine's io_context is destroyed (serve flushes the
// ledger after the workers stop and before the server is destroyed).
#pragma once

#include "core/asio.h"
#include "core/result.h"
#include "ledger/call_sink.h"

namespace switchyard::gateway {

// Hands `record` to `ledger` and returns once its fate is known: OK when committed.
Task<Status> AwaitCommit(ledger::DurableCallSink& ledger, const ledger::CallRecord& record);

}  // namespace switchyard::gateway

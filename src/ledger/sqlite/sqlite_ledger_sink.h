// SqliteLedgerSink: the embedded cost ledger (DESIGN.md "State"). A CallSink that writes one row per
// call and one per attempt into SQLite (WAL, synchronous=FULL; schema in ledger_schema.h) from its
// own writer thread, in batched transactions, so that no request ever waits for the disk.
//
// The queue, the batching and group commit, the full-queue policy (the bound holds; drops are
// counted) and the retry/abandon policy on write failures are BatchingLedgerSink's
// (batching_ledger_sink.h).
// A request id already in the ledger is not stored twice (`duplicates`, logged). A late record
// updates its call's row and adds its attempts and judgement in the batch's transaction.
//
// Thread-safety: Record(), Flush() and stats() may be called from any thread at once. The database
// connection is used only by the writer thread. The destructor drains the queue (like Flush) and
// joins the writer; no call may race with it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "core/result.h"
#include "ledger/ledger_time.h"
#include "ledger/sinks/batching_ledger_sink.h"
#include "ledger/sqlite/sqlite_db.h"

namespace switchyard::ledger {

using SqliteLedgerOptions = LedgerSinkOptions;
using SqliteLedgerStats = LedgerSinkStats;

class SqliteLedgerSink : public BatchingLedgerSink {
 public:
  // Creates the directory of `path` and the database with its schema when missing (idempotent on an
  // existing ledger), sets WAL and synchronous=FULL, and starts the writer. Fails, with one
  // sentence naming the path, when the directory or database cannot be created or opened, when
  // the file is not a ledger, or when its schema is newer than this build's.
  static Result<std::unique_ptr<SqliteLedgerSink>> Open(const std::string& path,
                                                        const SqliteLedgerOptions& options = {});
  ~SqliteLedgerSink() override;  // drains everything queued (as Flush), then stops the writer

  const std::string& path() const { return log_name(); }

 protected:
  Status WriteBatch(const std::deque<CallRecord>& batch, std::uint64_t* duplicates) override;

 private:
  struct Statements;
  SqliteLedgerSink(std::string path, const SqliteLedgerOptions& options, SqliteDb db,
                   std::unique_ptr<Statements> statements);
  static Result<std::unique_ptr<Statements>> PrepareStatements(SqliteDb& db,
                                                               const std::string& path);
  // The parts of WriteBatch, inside its transaction: a call's row and its attempts (a duplicate
  // request id counted in `*duplicates`), a call's attempts alone, a late record.
  Status WriteCall(const CallRecord& r, IsoUtcMillisBuffer& time, std::uint64_t* duplicates);
  Status WriteAttempts(const CallRecord& r);
  Status WriteLate(const CallRecord& r);

  SqliteDb db_;                             // writer thread only (after Open)
  std::unique_ptr<Statements> statements_;  // writer thread only; destroyed before db_
};

}  // namespace switchyard::ledger

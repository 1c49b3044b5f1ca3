// PostgresLedgerSink: the scale-out cost ledger (DESIGN.md "State"). A CallSink that writes one row
// per call and one per attempt into PostgreSQL (schema in postgres_schema.h) from its own writer
// thread, one transaction per batch with multi-row INSERTs, so that no request ever waits for the
// network: Record() only queues.
//
// The queue, the batching and group commit, the full-queue policy (the bound holds; drops are
// counted) and the retry/abandon policy on write failures are BatchingLedgerSink's
// (batching_ledger_sink.h). A batch is durable once the server's COMMIT returns (with the server's
// default synchronous_commit=on).
// A lost connection fails the batch being written (rolled back by the server); the next retry, after
// the backoff, connects again, so the writer reconnects with backoff from `retry_backoff` to 1 s.
// A request id already in the ledger is not stored twice (ON CONFLICT DO NOTHING; `duplicates`,
// logged) and its attempts are not added to the stored call. A late record updates its call's row
// and adds its attempts and judgement in the batch's transaction, after the batch's calls.
//
// The URL is a secret: log lines and errors name the host, port and database only.
//
// Thread-safety: Record(), Flush() and stats() may be called from any thread at once. The connection
// is used only by the writer thread after Open. The destructor drains the queue (like Flush) and
// joins the writer; no call may race with it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "ledger/postgres/pg_conn.h"
#include "ledger/sinks/batching_ledger_sink.h"

namespace switchyard::ledger {

class PostgresLedgerSink : public BatchingLedgerSink {
 public:
  // Connects to `url`, creates the schema when missing (idempotent), and starts the writer. Fails,
  // with one sentence naming the host and database, when the server cannot be reached, when the
  // database is not a ledger, or when its schema is newer than this build's.
  static Result<std::unique_ptr<PostgresLedgerSink>> Open(const std::string& url,
                                                          const LedgerSinkOptions& options = {});
  ~PostgresLedgerSink() override;  // drains everything queued (as Flush), then stops the writer

  // "HOST:PORT/DATABASE", for messages.
  const std::string& target() const { return target_; }

 protected:
  Status WriteBatch(const std::deque<CallRecord>& batch, std::uint64_t* duplicates) override;

 private:
  // An attempt and the request id it belongs to, pointing into the batch.
  using RequestAttempt = std::pair<const std::string*, const AttemptRecord*>;

  PostgresLedgerSink(std::string url, const LedgerSinkOptions& options, PgConnection conn);
  Status WriteInTransaction(const std::deque<CallRecord>& batch, std::uint64_t* duplicates);
  // The parts of WriteInTransaction: the calls' rows (returns the records stored now, a duplicate
  // request id counted in `*duplicates`), attempts (request id and attempt), a late record.
  Result<std::vector<const CallRecord*>> WriteCalls(const std::vector<const CallRecord*>& calls,
                                                    std::uint64_t* duplicates);
  Status WriteAttempts(const std::vector<RequestAttempt>& attempts);
  Status WriteLate(const CallRecord& r);

  const std::string url_;  // a secret: for reconnecting only
  const std::string target_;
  std::optional<PgConnection> conn_;  // writer thread only (after Open); empty: reconnect
};

}  // namespace switchyard::ledger

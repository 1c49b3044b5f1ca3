// LedgerStore: read-only queries over the call ledger, whichever backend holds it (SQLite:
// LedgerReader in ledger_reader.h; PostgreSQL: PostgresLedgerReader) — spend per group
// (`switchyard spend`, `GET /admin/spend`), one request with its attempts
// (`GET /admin/requests/{id}`), and the reconciliation report (per UTC day, provider and model).
// Sums are exact integers: tokens and nano-dollars (DESIGN.md "Money"). An attempt whose price was
// unknown adds nothing to a cost sum and is counted in `unpriced_attempts` instead, so an unknown
// price never reads as $0.
//
// The grouping semantics are SpendQuery's (spend_query.h); every backend returns the same rows for
// the same calls (the backends' tests run one fixture through both). Implementations are
// thread-safe; each query runs synchronously (it reads the disk or the network): keep it off the
// request path's event loops.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/usage.h"
#include "core/result.h"
#include "ledger/query/spend_query.h"

namespace switchyard::ledger {

struct SpendRow {
  // The group's name; empty for calls without that attribute (no key name, no route, tag absent).
  // Model groups are "provider/model".
  std::optional<std::string> group;
  std::int64_t calls = 0;     // calls in the group (provider/model: calls it served)
  std::int64_t attempts = 0;  // attempts whose tokens and cost are summed here
  canonical::Usage tokens;    // every class summed over those attempts (`reported` unused)
  std::int64_t cost_nanos = 0;         // the sum of the known costs
  std::int64_t unpriced_attempts = 0;  // attempts with an unknown price, not in cost_nanos
  std::int64_t saved_nanos = 0;        // what answers from the cache saved (CONTRACT.md "Cache")
};

struct ReconcileRow {
  std::string day;  // YYYY-MM-DD in UTC, of the call's time
  std::string provider;
  std::string model;
  std::int64_t attempts = 0;  // upstream requests, as the provider counts them
  canonical::Usage tokens;
  std::int64_t cost_nanos = 0;
  std::int64_t unpriced_attempts = 0;
};

struct AttemptRow {
  int n = 0;
  std::string kind;     // primary | retry | fallback | ...
  std::string provider;
  std::string model;
  std::string outcome;  // success | upstream_error | timeout | connect_error | stream_error | ...
  int http_status = 0;
  std::string reason;
  canonical::Usage usage;
  std::optional<std::int64_t> cost_nanos;  // empty: price unknown
  bool estimated = false;
  std::int64_t latency_ms = 0;
  std::optional<std::int64_t> ttft_ms;
  std::optional<std::int64_t> saved_nanos;  // kind cache: what the replayed answer had cost
};

struct CallRow {
  std::string request_id;
  std::string time;  // ISO-8601 UTC with milliseconds
  std::int64_t time_ms = 0;
  std::string key_name;
  std::string method;
  std::string path;
  std::string inbound;
  std::string requested_model;
  std::string route;
  std::string provider;
  std::string model;
  int status = 0;
  bool stream = false;
  std::string error;
  std::int64_t latency_ms = 0;
  std::optional<std::int64_t> ttft_ms;
  std::string metadata_json;               // empty when the call had none
  std::optional<std::int64_t> cost_nanos;  // empty when any attempt's price is unknown
  bool estimated = false;
  std::optional<std::string> cache;        // hit | miss | off; empty when not recorded
  std::string guardrails;  // "name:action" comma-separated, in firing order; empty: none fired
  // An `ab` route's call: the variant that served it and the experiment's epoch; else empty.
  std::string variant;
  std::string epoch;
  std::vector<AttemptRow> attempts;        // in order of n
};

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // Spend per group over the query's time range, ordered by group name (calls without the attribute
  // last). Fails only on a database error.
  virtual Result<std::vector<SpendRow>> Spend(const SpendQuery& query) = 0;

  // Tokens and dollars per (UTC day, provider, model) of the attempts, in that order.
  virtual Result<std::vector<ReconcileRow>> Reconcile(const TimeRange& range) = 0;

  // One call and its attempts; a NotFound error when the ledger has no such request id.
  virtual Result<CallRow> FindRequest(std::string_view request_id) = 0;
};

}  // namespace switchyard::ledger

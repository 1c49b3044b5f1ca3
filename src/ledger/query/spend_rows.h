// SpendRows: the backend-independent half of the ledger's spend and reconciliation queries. Each
// backend runs two grouped SQL queries per spend (the attempts' sums per group, and the calls per
// group, since provider/model count a call under the attempt that served it but sum every attempt
// under its own provider/model); SpendRowsBuilder merges them into SpendRows in the one order every
// backend returns: by group name, byte-wise, with the calls lacking the attribute last.
// Plain values, not thread-safe (one builder per query).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "canonical/usage.h"
#include "ledger/query/ledger_store.h"

namespace switchyard::ledger {

// The sums every spend and reconciliation row carries over a set of attempts.
struct AttemptSums {
  std::int64_t attempts = 0;
  canonical::Usage tokens;         // every class summed (`reported` unused)
  std::int64_t cost_nanos = 0;     // the sum of the known costs (0 when every price is unknown)
  std::int64_t unpriced = 0;       // attempts with an unknown price
  std::int64_t saved_nanos = 0;    // what cached answers saved (attempts of kind cache)
};

// The order of the sums' columns in every backend's SELECT: attempts, input, cached input, 5-minute
// write, 1-hour write, output, reasoning, cost, unpriced, saved. Backends read them with this helper
// from kAttemptSumColumns integers (NULL read as 0).
inline constexpr int kAttemptSumColumns = 10;
AttemptSums AttemptSumsFromColumns(const std::int64_t (&columns)[kAttemptSumColumns]);

class SpendRowsBuilder {
 public:
  // The attempts' sums of one group; `group` empty: the calls without the attribute.
  void AddAttemptSums(std::optional<std::string> group, const AttemptSums& sums);
  // The number of calls in one group.
  void AddCalls(std::optional<std::string> group, std::int64_t calls);
  // The rows, ordered by group name with the unnamed group last.
  std::vector<SpendRow> Finish();

 private:
  SpendRow& RowFor(std::optional<std::string> group);
  std::map<std::optional<std::string>, SpendRow> rows_;
};

// A reconciliation row from its key and sums.
ReconcileRow MakeReconcileRow(std::string day, std::string provider, std::string model,
                              const AttemptSums& sums);

}  // namespace switchyard::ledger

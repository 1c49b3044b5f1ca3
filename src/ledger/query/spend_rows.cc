#include "ledger/query/spend_rows.h"

#include <utility>

namespace switchyard::ledger {

AttemptSums AttemptSumsFromColumns(const std::int64_t (&columns)[kAttemptSumColumns]) {
  AttemptSums sums;
  sums.attempts = columns[0];
  sums.tokens.input_tokens = columns[1];
  sums.tokens.cached_input_tokens = columns[2];
  sums.tokens.cache_write_tokens = columns[3];
  sums.tokens.cache_write_1h_tokens = columns[4];
  sums.tokens.output_tokens = columns[5];
  sums.tokens.reasoning_tokens = columns[6];
  sums.cost_nanos = columns[7];
  sums.unpriced = columns[8];
  sums.saved_nanos = columns[9];
  return sums;
}

SpendRow& SpendRowsBuilder::RowFor(std::optional<std::string> group) {
  SpendRow& row = rows_[group];
  row.group = std::move(group);
  return row;
}

void SpendRowsBuilder::AddAttemptSums(std::optional<std::string> group, const AttemptSums& sums) {
  SpendRow& row = RowFor(std::move(group));
  row.attempts = sums.attempts;
  row.tokens = sums.tokens;
  row.cost_nanos = sums.cost_nanos;
  row.unpriced_attempts = sums.unpriced;
  row.saved_nanos = sums.saved_nanos;
}

void SpendRowsBuilder::AddCalls(std::optional<std::string> group, std::int64_t calls) {
  RowFor(std::move(group)).calls = calls;
}

std::vector<SpendRow> SpendRowsBuilder::Finish() {
  std::vector<SpendRow> out;
  out.reserve(rows_.size());
  // std::nullopt orders first in the map; it goes last in the answer.
  for (auto& [name, row] : rows_) {
    if (name) out.push_back(std::move(row));
  }
  if (auto none = rows_.find(std::nullopt); none != rows_.end()) {
    out.push_back(std::move(none->second));
  }
  rows_.clear();
  return out;
}

ReconcileRow MakeReconcileRow(std::string day, std::string provider, std::string model,
                              const AttemptSums& sums) {
  ReconcileRow row;
  row.day = std::move(day);
  row.provider = std::move(provider);
  row.model = std::move(model);
  row.attempts = sums.attempts;
  row.tokens = sums.tokens;
  row.cost_nanos = sums.cost_nanos;
  row.unpriced_attempts = sums.unpriced;
  return row;
}

}  // namespace switchyard::ledger

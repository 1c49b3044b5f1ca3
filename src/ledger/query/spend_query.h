// SpendQuery: what `switchyard spend` and `GET /admin/spend` ask the ledger (CONTRACT.md): a time
// range and a grouping. Parsed once from the user's text, here, so that the command and the endpoint
// accept exactly the same options and give the same messages. Plain values, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace switchyard::ledger {

// A half-open range of call times, in epoch milliseconds: since <= time < until.
struct TimeRange {
  std::optional<std::int64_t> since_ms;  // empty: from the first call
  std::optional<std::int64_t> until_ms;  // empty: to the last call
};

// How spend is grouped. key, route, day and tag are attributes of the call: all its attempts count
// in its group. provider and model are attributes of each attempt: an attempt's tokens and cost
// count under its own provider/model, and the call counts under the provider/model that served it.
enum class SpendGroup { kKey, kModel, kProvider, kRoute, kDay, kTag };

struct SpendQuery {
  TimeRange range;
  SpendGroup group = SpendGroup::kModel;
  std::string tag;  // kTag: the key of x-switchyard-metadata to group by
};

// "key" | "model" | "provider" | "route" | "day" | "tag:NAME".
std::string GroupByName(const SpendQuery& query);

// Parses the user's options; an empty string means "not given" (group_by defaults to model).
// `since`/`until` are ISO-8601 (ledger_time.h); `until` is exclusive. Fails with an InvalidRequest
// error in one sentence naming the bad option.
Result<SpendQuery> ParseSpendQuery(std::string_view since, std::string_view until,
                                   std::string_view group_by);

// Parses since/until alone (the reconciliation report takes no grouping).
Result<TimeRange> ParseTimeRange(std::string_view since, std::string_view until);

}  // namespace switchyard::ledger

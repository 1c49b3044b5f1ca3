#include "ledger/query/spend_query.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/ledger_time.h"

namespace switchyard::ledger {

std::string GroupByName(const SpendQuery& query) {
  switch (query.group) {
    case SpendGroup::kKey: return "key";
    case SpendGroup::kModel: return "model";
    case SpendGroup::kProvider: return "provider";
    case SpendGroup::kRoute: return "route";
    case SpendGroup::kDay: return "day";
    case SpendGroup::kTag: return "tag:" + query.tag;
  }
  return "model";
}

Result<TimeRange> ParseTimeRange(std::string_view since, std::string_view until) {
  TimeRange range;
  if (!since.empty()) {
    Result<std::int64_t> ms = ParseIsoTime(since);
    if (!ms) return Error::InvalidRequest("since: " + ms.error().message, "since");
    range.since_ms = *ms;
  }
  if (!until.empty()) {
    Result<std::int64_t> ms = ParseIsoTime(until);
    if (!ms) return Error::InvalidRequest("until: " + ms.error().message, "until");
    range.until_ms = *ms;
  }
  if (range.since_ms && range.until_ms && *range.until_ms <= *range.since_ms) {
    return Error::InvalidRequest(
        fmt::format("until ({}) must be later than since ({})", until, since), "until");
  }
  return range;
}

Result<SpendQuery> ParseSpendQuery(std::string_view since, std::string_view until,
                                   std::string_view group_by) {
  Result<TimeRange> range = ParseTimeRange(since, until);
  if (!range) return range.error();
  SpendQuery query;
  query.range = *range;
  if (group_by.empty() || group_by == "model") {
    query.group = SpendGroup::kModel;
  } else if (group_by == "key") {
    query.group = SpendGroup::kKey;
  } else if (group_by == "provider") {
    query.group = SpendGroup::kProvider;
  } else if (group_by == "route") {
    query.group = SpendGroup::kRoute;
  } else if (group_by == "day") {
    query.group = SpendGroup::kDay;
  } else if (group_by.starts_with("tag:")) {
    const std::string_view tag = group_by.substr(4);
    // The name goes into a quoted JSON path ($."NAME"), where SQLite has no escape for '"'.
    if (tag.empty() || tag.find_first_of("\"\\") != std::string_view::npos ||
        std::any_of(tag.begin(), tag.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20;
        })) {
      return Error::InvalidRequest(
          fmt::format("group_by '{}' needs a metadata key after 'tag:', without quotes, "
                      "backslashes or control characters", group_by), "group_by");
    }
    query.group = SpendGroup::kTag;
    query.tag = std::string(tag);
  } else {
    return Error::InvalidRequest(
        fmt::format("group_by '{}' is not one of key, model, provider, route, day, tag:NAME",
                    group_by), "group_by");
  }
  return query;
}

}  // namespace switchyard::ledger

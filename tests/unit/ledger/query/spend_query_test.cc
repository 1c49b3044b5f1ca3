#include "ledger/query/spend_query.h"

#include <gtest/gtest.h>

#include "ledger/ledger_time.h"

namespace switchyard::ledger {
namespace {

std::int64_t Ms(std::string_view iso) {
  Result<std::int64_t> ms = ParseIsoTime(iso);
  EXPECT_TRUE(ms.ok()) << iso << ": " << (ms.ok() ? "" : ms.error().message);
  return ms.ok() ? *ms : -1;
}

TEST(LedgerTimeTest, ParsesTheIsoFormsPeopleWrite) {
  EXPECT_EQ(Ms("1970-01-01"), 0);
  EXPECT_EQ(Ms("2026-03-01"), 1772323200000);
  EXPECT_EQ(Ms("2026-03-01T00:00Z"), 1772323200000);
  EXPECT_EQ(Ms("2026-03-01T23:59:59.123Z"), 1772409599123);
  EXPECT_EQ(Ms("2026-03-01 23:59:59.1234567"), 1772409599123);  // no zone: UTC; truncated
  EXPECT_EQ(Ms("2026-03-02T01:00:00+01:00"), 1772409600000);
  EXPECT_EQ(Ms("2026-03-01T19:00:00-0500"), 1772409600000);
  EXPECT_EQ(Ms("2024-02-29T12:00:00Z"), 1709208000000);  // leap day
  EXPECT_EQ(Ms("1969-12-31T23:59:59.999Z"), -1);
}

TEST(LedgerTimeTest, RefusesWhatIsNotAnInstant) {
  for (std::string_view bad : {"", "yesterday", "2026-3-1", "2026-02-30", "2026-13-01",
                               "2026-03-01T24:00:00Z", "2026-03-01T10:00:00Q", "2026-03-01T10",
                               "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00+25:00"}) {
    Result<std::int64_t> ms = ParseIsoTime(bad);
    EXPECT_FALSE(ms.ok()) << bad;
    if (!ms.ok()) {
      EXPECT_NE(ms.error().message.find("ISO-8601"), std::string::npos);
    }
  }
}

TEST(LedgerTimeTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatIsoUtcMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtcMillis(1772409599123), "2026-03-01T23:59:59.123Z");
  EXPECT_EQ(FormatIsoUtcMillis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(ToEpochMillis(std::chrono::system_clock::time_point(std::chrono::seconds(5))), 5000);
}

TEST(SpendQueryTest, ParsesEveryGrouping) {
  struct Case {
    std::string_view text;
    SpendGroup group;
  };
  for (const Case& c : {Case{"", SpendGroup::kModel}, Case{"model", SpendGroup::kModel},
                        Case{"key", SpendGroup::kKey}, Case{"provider", SpendGroup::kProvider},
                        Case{"route", SpendGroup::kRoute}, Case{"day", SpendGroup::kDay},
                        Case{"tag:feature", SpendGroup::kTag}}) {
    Result<SpendQuery> query = ParseSpendQuery("", "", c.text);
    ASSERT_TRUE(query.ok()) << c.text;
    EXPECT_EQ(query->group, c.group) << c.text;
  }
  Result<SpendQuery> tag = ParseSpendQuery("", "", "tag:team.name");
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->tag, "team.name");
  EXPECT_EQ(GroupByName(*tag), "tag:team.name");
}

TEST(SpendQueryTest, RefusesBadOptionsInOneSentence) {
  Result<SpendQuery> group = ParseSpendQuery("", "", "colour");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().message,
            "group_by 'colour' is not one of key, model, provider, route, day, tag:NAME");
  EXPECT_EQ(group.error().param, "group_by");
  EXPECT_FALSE(ParseSpendQuery("", "", "tag:").ok());
  EXPECT_FALSE(ParseSpendQuery("", "", "tag:a\"b").ok());

  Result<SpendQuery> since = ParseSpendQuery("last week", "", "");
  ASSERT_FALSE(since.ok());
  EXPECT_EQ(since.error().param, "since");
  EXPECT_NE(since.error().message.find("'last week'"), std::string::npos);

  Result<SpendQuery> backwards = ParseSpendQuery("2026-03-02", "2026-03-01", "");
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().param, "until");
}

TEST(SpendQueryTest, KeepsTheRange) {
  Result<SpendQuery> query = ParseSpendQuery("2026-03-01", "2026-03-02", "day");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->range.since_ms, 1772323200000);
  EXPECT_EQ(query->range.until_ms, 1772409600000);
}

}  // namespace
}  // namespace switchyard::ledger

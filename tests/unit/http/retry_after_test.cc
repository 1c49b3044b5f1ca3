// http::ParseRetryAfter and RetryAfterForClient: delay-seconds and HTTP-dates, as providers send
// them, and what the gateway's clients get.
#include "http/retry_after.h"

#include <gtest/gtest.h>

namespace switchyard::http {
namespace {

using std::chrono::milliseconds;

// 2015-10-21 07:28:00 UTC.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2015) / 10 / 21) + std::chrono::hours(7) +
    std::chrono::minutes(28);

std::optional<milliseconds> Parse(std::string_view value) { return ParseRetryAfter(value, kNow); }

TEST(RetryAfterTest, DelaySeconds) {
  EXPECT_EQ(Parse("0"), milliseconds(0));
  EXPECT_EQ(Parse("120"), milliseconds(120'000));
  EXPECT_EQ(Parse(" 7 "), milliseconds(7'000));
  EXPECT_EQ(Parse("1.5"), milliseconds(1'500));
  EXPECT_EQ(Parse("0.25"), milliseconds(250));
  EXPECT_EQ(Parse("0.0001"), milliseconds(1)) << "rounded up, never too short";
  EXPECT_EQ(Parse("999999999"), milliseconds(7LL * 24 * 3600 * 1000)) << "capped at a week";
}

TEST(RetryAfterTest, HttpDate) {
  EXPECT_EQ(Parse("Wed, 21 Oct 2015 07:28:00 GMT"), milliseconds(0));
  EXPECT_EQ(Parse("Wed, 21 Oct 2015 07:28:02 GMT"), milliseconds(2'000));
  EXPECT_EQ(Parse("Wed, 21 Oct 2015 08:28:00 GMT"), milliseconds(3'600'000));
  EXPECT_EQ(Parse("Thu, 01 Jan 1970 00:00:00 GMT"), milliseconds(0)) << "a date in the past";
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:01 GMT", kNow + milliseconds(400)),
            milliseconds(600));
}

TEST(RetryAfterTest, AbsentOrUnreadable) {
  for (std::string_view value :
       {"", "  ", "soon", "-1", "1.", ".5", "1.5s", "12a", "Wed, 21 Oct 2015 07:28:00 UTC",
        "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
        "Wednesday, 21-Oct-15 07:28:00 GMT"}) {
    EXPECT_EQ(Parse(value), std::nullopt) << "'" << value << "'";
  }
}

// Issue 11 defect 3: a provider's retry-after is parsed and written anew, never copied.
TEST(RetryAfterForClientTest, ReadableValuesAreWrittenAnew) {
  EXPECT_EQ(RetryAfterForClient("120"), "120");
  EXPECT_EQ(RetryAfterForClient(" 7 "), "7");
  EXPECT_EQ(RetryAfterForClient("1.5"), "2");  // whole seconds, never shorter than asked
  EXPECT_EQ(RetryAfterForClient("0"), "0");
  EXPECT_EQ(RetryAfterForClient("99999999999999"), "604800");  // at most a week
  EXPECT_EQ(RetryAfterForClient("Wed, 21 Oct 2015 07:28:00 GMT"),
            "Wed, 21 Oct 2015 07:28:00 GMT");
  // The weekday is the date's, whatever the provider wrote.
  EXPECT_EQ(RetryAfterForClient("Xyz, 29 Feb 2028 23:59:59 GMT"),
            "Tue, 29 Feb 2028 23:59:59 GMT");
}

// Found by tests/fuzz/retry_after_fuzz.cc: a fraction past the cap, and a signed date field.
TEST(RetryAfterTest, AtMostAWeekAndNoSignedFields) {
  EXPECT_EQ(Parse("604800.5"), milliseconds(604'800'000));
  EXPECT_EQ(Parse("Wed, 21 Oct -015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(Parse("Wed, 21 Oct 2015 -1:28:00 GMT"), std::nullopt);
  // A year system_clock cannot count to (it would overflow) is not a date.
  EXPECT_EQ(Parse("Wed, 21 Oct 9999 07:28:00 GMT"), std::nullopt);
}

TEST(RetryAfterForClientTest, AnythingElseIsDropped) {
  for (std::string_view value :
       {"", "  ", "soon", "12abc", "1.", "-1", "Bearer sk-echo-0123456789abcdef",
        "120\r\nX-Injected: 1", "Wed, 21 Oct 2015 07:28:00 UTC", "Wed, 30 Feb 2015 07:28:00 GMT"}) {
    EXPECT_EQ(RetryAfterForClient(value), std::nullopt) << value;
  }
}

}  // namespace
}  // namespace switchyard::http

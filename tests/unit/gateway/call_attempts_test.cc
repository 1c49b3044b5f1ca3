// What the gateway's attempt runner tells the router about an attempt (gateway/call_attempts.h):
// the failure's class, the provider's asked wait in each form, and a timeout the call's deadline
// caused.
#include "gateway/call_attempts.h"

#include <gtest/gtest.h>

namespace switchyard::gateway {
namespace {

using std::chrono::milliseconds;

const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2026) / 12 / 7) + std::chrono::hours(8);

AttemptResult Failed(ErrorKind kind, int status, providers::ErrorClass error_class) {
  AttemptResult result;
  Error error;
  error.kind = kind;
  error.message = "failed";
  result.error = error;
  result.error_class = error_class;
  result.record.http_status = status;
  return result;
}

TEST(CallAttemptsTest, AnAnswerIsReportedWithItsTimes) {
  AttemptResult result;
  result.committed = true;
  result.record.latency_ms = 420;
  result.record.ttft_ms = 35;
  const routing::AttemptReport report = ReportOf(result, kNow);
  EXPECT_TRUE(report.answered);
  EXPECT_TRUE(report.committed);
  EXPECT_FALSE(report.error);
  EXPECT_EQ(report.latency, milliseconds(420));
  EXPECT_EQ(report.ttft, milliseconds(35));
  EXPECT_FALSE(report.provider_wait.asked);
}

TEST(CallAttemptsTest, EachErrorClassKeepsItsMeaning) {
  EXPECT_EQ(ReportOf(Failed(ErrorKind::kUpstreamStatus, 503, providers::ErrorClass::kRetryable),
                     kNow).failure,
            routing::FailureClass::kRetryable);
  EXPECT_EQ(ReportOf(Failed(ErrorKind::kUpstreamStatus, 401, providers::ErrorClass::kFallBack),
                     kNow).failure,
            routing::FailureClass::kFallBack);
  const routing::AttemptReport fatal =
      ReportOf(Failed(ErrorKind::kUpstreamStatus, 400, providers::ErrorClass::kFatal), kNow);
  EXPECT_EQ(fatal.failure, routing::FailureClass::kFatal);
  EXPECT_EQ(fatal.error, ErrorKind::kUpstreamStatus);
  EXPECT_EQ(fatal.http_status, 400);
}

TEST(CallAttemptsTest, TheProviderWaitInEachForm) {
  AttemptResult seconds = Failed(ErrorKind::kUpstreamStatus, 429,
                                 providers::ErrorClass::kRetryable);
  seconds.retry_after = "2";
  EXPECT_TRUE(ReportOf(seconds, kNow).provider_wait.asked);
  EXPECT_EQ(ReportOf(seconds, kNow).provider_wait.wait, milliseconds(2000));

  AttemptResult date = seconds;
  date.retry_after = "Mon, 07 Dec 2026 08:00:30 GMT";
  EXPECT_EQ(ReportOf(date, kNow).provider_wait.wait, milliseconds(30'000));

  AttemptResult unreadable = seconds;
  unreadable.retry_after = "soon";
  EXPECT_TRUE(ReportOf(unreadable, kNow).provider_wait.asked);
  EXPECT_FALSE(ReportOf(unreadable, kNow).provider_wait.wait);

  AttemptResult reset = seconds;
  reset.retry_after.clear();
  reset.rate_limit_reset = milliseconds(1200);
  EXPECT_EQ(ReportOf(reset, kNow).provider_wait.wait, milliseconds(1200));
}

TEST(CallAttemptsTest, ATimeoutPastTheCallsDeadlineNamesTheDeadline) {
  routing::AttemptOrder order;
  order.time_left = milliseconds(300);
  order.deadline = config::Millis(1000);
  AttemptResult cut = Failed(ErrorKind::kUpstreamTimeout, 0, providers::ErrorClass::kRetryable);
  cut.record.latency_ms = 300;
  NoteDeadlineCut(order, cut);
  EXPECT_NE(cut.error->message.find("deadline_ms (1000 ms)"), std::string::npos);
  EXPECT_EQ(cut.record.reason, cut.error->message);

  // The provider's own total, shorter than the time left, is not the call's deadline.
  AttemptResult own = Failed(ErrorKind::kUpstreamTimeout, 0, providers::ErrorClass::kRetryable);
  own.record.latency_ms = 120;
  NoteDeadlineCut(order, own);
  EXPECT_EQ(own.error->message, "failed");

  order.time_left.reset();  // no deadline at all
  AttemptResult none = Failed(ErrorKind::kUpstreamTimeout, 0, providers::ErrorClass::kRetryable);
  none.record.latency_ms = 5000;
  NoteDeadlineCut(order, none);
  EXPECT_EQ(none.error->message, "failed");
}

}  // namespace
}  // namespace switchyard::gateway

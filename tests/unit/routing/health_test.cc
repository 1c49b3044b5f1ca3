#include "routing/health.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace switchyard::routing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kKey = "openai/gpt-4o-mini";

class HealthTest : public ::testing::Test {
 protected:
  // A steady time `offset` after the test's start.
  SteadyTime At(milliseconds offset) const { return start_ + offset; }

  void Faults(HealthRegistry& health, int count, SteadyTime now) {
    for (int i = 0; i < count; ++i) health.RecordFailure(kKey, now, FailureKind::kFault);
  }

  const SteadyTime start_ = SteadyTime{} + std::chrono::hours(1000);
};

TEST_F(HealthTest, UnknownTargetIsAvailableAndClosed) {
  HealthRegistry health;
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(0))));
  EXPECT_EQ(health.Inspect(kKey, At(milliseconds(0))).state, BreakerState::kClosed);
}

TEST_F(HealthTest, OpensAfterFiveConsecutiveFaults) {
  HealthRegistry health;
  Faults(health, 4, At(milliseconds(0)));
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(1))));
  EXPECT_EQ(health.Inspect(kKey, At(milliseconds(1))).consecutive_failures, 4);
  health.RecordFailure(kKey, At(milliseconds(2)), FailureKind::kFault);
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(3))));
  const TargetHealth state = health.Inspect(kKey, At(milliseconds(3)));
  EXPECT_EQ(state.state, BreakerState::kOpen);
  EXPECT_EQ(state.open_until, At(milliseconds(2)) + seconds(30));
  // Other targets are unaffected.
  EXPECT_TRUE(health.Available("openai/gpt-4o", At(milliseconds(3))));
}

TEST_F(HealthTest, ASuccessEndsTheFailureRun) {
  HealthRegistry health;
  Faults(health, 4, At(milliseconds(0)));
  health.RecordSuccess(kKey, At(milliseconds(1)));
  Faults(health, 4, At(milliseconds(2)));
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(3))));
}

TEST_F(HealthTest, NeutralFailuresDoNotCount) {
  HealthRegistry health;
  for (FailureKind kind :
       {FailureKind::kRateLimited, FailureKind::kRejected, FailureKind::kCancelled}) {
    for (int i = 0; i < 30; ++i) health.RecordFailure(kKey, At(milliseconds(i)), kind);
  }
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(100))));
  EXPECT_EQ(health.Inspect(kKey, At(milliseconds(100))).state, BreakerState::kClosed);
}

TEST_F(HealthTest, OpensAtHalfTheCallsFailingOverTwenty) {
  HealthRegistry health;
  // success, fault, success, fault, ...: never two faults in a row.
  for (int i = 0; i < 19; ++i) {
    if (i % 2 == 0) {
      health.RecordSuccess(kKey, At(milliseconds(i)));
    } else {
      health.RecordFailure(kKey, At(milliseconds(i)), FailureKind::kFault);
    }
  }
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(19))));  // 9 of 19
  health.RecordFailure(kKey, At(milliseconds(19)), FailureKind::kFault);  // 10 of 20
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(20))));
}

TEST_F(HealthTest, AThirdOfCallsFailingKeepsItClosed) {
  HealthRegistry health;
  for (int i = 0; i < 90; ++i) {
    if (i % 3 == 0) {
      health.RecordFailure(kKey, At(milliseconds(i)), FailureKind::kFault);
    } else {
      health.RecordSuccess(kKey, At(milliseconds(i)));
    }
  }
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(100))));
}

TEST_F(HealthTest, ErrorRateWindowStartsAfresh) {
  HealthRegistry health;
  for (int i = 0; i < 19; ++i) {
    if (i % 2 == 0) {
      health.RecordFailure(kKey, At(milliseconds(i)), FailureKind::kFault);
    } else {
      health.RecordSuccess(kKey, At(milliseconds(i)));
    }
  }  // 10 faults of 19 calls: not enough calls yet
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(20))));
  // A minute later the window has turned over: one more fault is 1 of 1, below min_calls.
  health.RecordFailure(kKey, At(seconds(61)), FailureKind::kFault);
  EXPECT_TRUE(health.Available(kKey, At(seconds(61))));
  EXPECT_EQ(health.Inspect(kKey, At(seconds(61))).window_calls, 1);
}

TEST_F(HealthTest, HalfOpenLetsExactlyOneProbeThroughAndASuccessCloses) {
  HealthRegistry health;
  Faults(health, 5, At(milliseconds(0)));
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(29'999))));
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(30'000))));  // half-open, probe free
  EXPECT_EQ(health.Inspect(kKey, At(milliseconds(30'000))).state, BreakerState::kHalfOpen);
  health.BeginAttempt(kKey, At(milliseconds(30'000)));           // this attempt is the probe
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(30'001))));
  EXPECT_TRUE(health.Inspect(kKey, At(milliseconds(30'001))).probe_in_flight);
  health.RecordSuccess(kKey, At(milliseconds(30'500)));
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(30'501))));
  EXPECT_EQ(health.Inspect(kKey, At(milliseconds(30'501))).state, BreakerState::kClosed);
  // Closed afresh: it takes a full run of faults to open again.
  Faults(health, 4, At(milliseconds(31'000)));
  EXPECT_TRUE(health.Available(kKey, At(milliseconds(31'001))));
}

TEST_F(HealthTest, AFailedProbeReopensForAnotherCoolOff) {
  HealthRegistry health;
  Faults(health, 5, At(milliseconds(0)));
  health.BeginAttempt(kKey, At(seconds(30)));
  health.RecordFailure(kKey, At(seconds(31)), FailureKind::kFault);
  EXPECT_FALSE(health.Available(kKey, At(seconds(31))));
  EXPECT_EQ(health.Inspect(kKey, At(seconds(31))).state, BreakerState::kOpen);
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(60'999))));
  EXPECT_TRUE(health.Available(kKey, At(seconds(61))));
}

TEST_F(HealthTest, ANeutralOutcomeFreesTheProbe) {
  HealthRegistry health;
  Faults(health, 5, At(milliseconds(0)));
  health.BeginAttempt(kKey, At(seconds(30)));
  EXPECT_FALSE(health.Available(kKey, At(seconds(31))));
  health.RecordFailure(kKey, At(seconds(31)), FailureKind::kCancelled);
  EXPECT_TRUE(health.Available(kKey, At(seconds(31))));
  EXPECT_EQ(health.Inspect(kKey, At(seconds(31))).state, BreakerState::kHalfOpen);
}

TEST_F(HealthTest, AProbeWithoutOutcomeFreesItsSlotAfterTheProbeTimeout) {
  HealthOptions options;
  options.probe_timeout = seconds(10);
  HealthRegistry health(options);
  Faults(health, 5, At(milliseconds(0)));
  health.BeginAttempt(kKey, At(seconds(30)));
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(39'999))));
  EXPECT_TRUE(health.Available(kKey, At(seconds(40))));
}

TEST_F(HealthTest, ASuccessThatStartedBeforeTheTripDoesNotClose) {
  HealthRegistry health;
  Faults(health, 5, At(milliseconds(0)));
  health.RecordSuccess(kKey, At(seconds(1)));  // a slow call from before the trip
  EXPECT_FALSE(health.Available(kKey, At(seconds(1))));
  EXPECT_EQ(health.Inspect(kKey, At(seconds(1))).state, BreakerState::kOpen);
}

TEST_F(HealthTest, OptionsSetTheThresholds) {
  HealthOptions options;
  options.consecutive_failures = 2;
  options.cool_off = seconds(5);
  HealthRegistry health(options);
  Faults(health, 2, At(milliseconds(0)));
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(4'999))));
  EXPECT_TRUE(health.Available(kKey, At(seconds(5))));
}

TEST_F(HealthTest, CoolDownLastsUntilTheResetTime) {
  HealthRegistry health;
  health.RecordFailure(kKey, At(milliseconds(0)), FailureKind::kRateLimited);
  health.CoolDown(kKey, At(seconds(12)));
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(1))));
  EXPECT_FALSE(health.Available(kKey, At(milliseconds(11'999))));
  EXPECT_TRUE(health.Available(kKey, At(seconds(12))));
  // The breaker never saw a fault.
  EXPECT_EQ(health.Inspect(kKey, At(seconds(12))).state, BreakerState::kClosed);
  EXPECT_EQ(health.Inspect(kKey, At(seconds(12))).cool_until, At(seconds(12)));
}

TEST_F(HealthTest, ACoolDownIsExtendedNeverShortened) {
  HealthRegistry health;
  health.CoolDown(kKey, At(seconds(20)));
  health.CoolDown(kKey, At(seconds(5)));
  EXPECT_FALSE(health.Available(kKey, At(seconds(10))));
  health.CoolDown(kKey, At(seconds(40)));
  EXPECT_FALSE(health.Available(kKey, At(seconds(30))));
  EXPECT_TRUE(health.Available(kKey, At(seconds(40))));
}

TEST_F(HealthTest, FailureKindOfAnAttemptsError) {
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamConnect, 0), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamTimeout, 0), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamProtocol, 200), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 500), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 503), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 529), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 408), FailureKind::kFault);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 429), FailureKind::kRateLimited);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 400), FailureKind::kRejected);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 401), FailureKind::kRejected);
  EXPECT_EQ(FailureKindOf(ErrorKind::kUpstreamStatus, 404), FailureKind::kRejected);
  EXPECT_EQ(FailureKindOf(ErrorKind::kCancelled, 0), FailureKind::kCancelled);
  EXPECT_EQ(FailureKindOf(ErrorKind::kInvalidRequest, 0), FailureKind::kRejected);
}

TEST_F(HealthTest, TrackedTargetsAreBounded) {
  HealthOptions options;
  options.max_targets = 2;
  HealthRegistry health(options);
  const SteadyTime now = At(milliseconds(0));
  for (int i = 0; i < 5; ++i) {
    health.RecordFailure("p/a", now, FailureKind::kFault);
    health.RecordFailure("p/b", now, FailureKind::kFault);
  }
  // Both slots hold open breakers, which are never forgotten: a third target goes untracked.
  for (int i = 0; i < 5; ++i) health.RecordFailure("p/c", now, FailureKind::kFault);
  EXPECT_FALSE(health.Available("p/a", now));
  EXPECT_FALSE(health.Available("p/b", now));
  EXPECT_TRUE(health.Available("p/c", now));

  // Healthy entries make room for new ones.
  HealthRegistry healthy(options);
  healthy.RecordSuccess("p/a", now);
  healthy.RecordSuccess("p/b", now);
  for (int i = 0; i < 5; ++i) healthy.RecordFailure("p/c", now, FailureKind::kFault);
  EXPECT_FALSE(healthy.Available("p/c", now));
}

TEST_F(HealthTest, SafeFromManyThreads) {
  HealthRegistry health;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = "p/m" + std::to_string(t % 2);
      for (int i = 0; i < 2000; ++i) {
        const SteadyTime now = At(milliseconds(i));
        health.BeginAttempt(key, now);
        if (i % 3 == 0) {
          health.RecordFailure(key, now, FailureKind::kFault);
        } else {
          health.RecordSuccess(key, now);
        }
        (void)health.Available(key, now);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(health.Inspect("p/m0", At(milliseconds(2000))).state, BreakerState::kClosed);
}

}  // namespace
}  // namespace switchyard::routing

// RetryBackoff: exponential steps with equal jitter from a seeded generator; a provider's asked wait
// as given.
#include "routing/backoff.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace switchyard::routing {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, EqualJitterStaysWithinHalfToFullStep) {
  std::mt19937_64 rng(42);
  const std::vector<std::int64_t> steps = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
  for (int retry = 0; retry < static_cast<int>(steps.size()); ++retry) {
    for (int draw = 0; draw < 200; ++draw) {
      const milliseconds wait = RetryBackoff(retry, std::nullopt, rng);
      EXPECT_GE(wait.count(), steps[retry] / 2) << "retry " << retry;
      EXPECT_LE(wait.count(), steps[retry]) << "retry " << retry;
    }
  }
}

TEST(BackoffTest, JitterSpreadsTheWaits) {
  std::mt19937_64 rng(7);
  std::set<std::int64_t> seen;
  std::int64_t low = 1'000'000, high = 0;
  for (int draw = 0; draw < 500; ++draw) {
    const std::int64_t wait = RetryBackoff(3, std::nullopt, rng).count();  // step 800 ms
    seen.insert(wait);
    low = std::min(low, wait);
    high = std::max(high, wait);
  }
  EXPECT_GT(seen.size(), 100u) << "the waits are not all the same";
  EXPECT_LT(low, 450) << "draws reach near the bottom of [400, 800]";
  EXPECT_GT(high, 750) << "draws reach near the top of [400, 800]";
}

TEST(BackoffTest, SameSeedSameWaits) {
  std::mt19937_64 first(2024), second(2024);
  for (int retry = 0; retry < 6; ++retry) {
    EXPECT_EQ(RetryBackoff(retry, std::nullopt, first), RetryBackoff(retry, std::nullopt, second));
  }
}

TEST(BackoffTest, NegativeAndHugeRetryIndexesStayInRange) {
  std::mt19937_64 rng(1);
  const milliseconds first = RetryBackoff(-3, std::nullopt, rng);
  EXPECT_GE(first.count(), 50);
  EXPECT_LE(first.count(), 100);
  const milliseconds late = RetryBackoff(1000, std::nullopt, rng);
  EXPECT_GE(late.count(), 1000);
  EXPECT_LE(late.count(), 2000);
}

TEST(BackoffTest, ProviderWaitIsHonouredAsGivenWithoutADraw) {
  std::mt19937_64 rng(99);
  const std::mt19937_64 before = rng;
  EXPECT_EQ(RetryBackoff(0, milliseconds(1500), rng), milliseconds(1500)) << "not jittered below";
  EXPECT_EQ(RetryBackoff(4, milliseconds(0), rng), milliseconds(0));
  EXPECT_EQ(RetryBackoff(0, milliseconds(60'000), rng), kMaxBackoff) << "capped";
  EXPECT_EQ(RetryBackoff(0, milliseconds(-5), rng), milliseconds(0));
  EXPECT_TRUE(rng == before) << "no draw is taken when the provider says how long";
}

}  // namespace
}  // namespace switchyard::routing

#include "governance/gcra.h"

#include <gtest/gtest.h>

namespace switchyard::governance {
namespace {

constexpr double kSecond = 1e6;

TEST(GcraTest, ALimitOfNLetsNPassAtOnceThenOneEveryInterval) {
  double tat = 0;
  const double now = 1000 * kSecond;
  for (int i = 0; i < 6; ++i) {
    GcraResult take = Gcra(tat, 6, 1, now);
    ASSERT_TRUE(take.allowed) << i;
    EXPECT_EQ(take.remaining, 5 - i);
    tat = take.tat;
  }
  GcraResult seventh = Gcra(tat, 6, 1, now);
  EXPECT_FALSE(seventh.allowed);
  EXPECT_EQ(seventh.retry_after_ms, 10'000);  // 60 s / 6
  EXPECT_EQ(seventh.tat, tat);                // a refusal takes nothing
  EXPECT_TRUE(Gcra(tat, 6, 1, now + 10 * kSecond).allowed);
  EXPECT_FALSE(Gcra(tat, 6, 1, now + 9.9 * kSecond).allowed);
}

TEST(GcraTest, TokensAreWeighted) {
  GcraResult take = Gcra(0, 1000, 600, 100 * kSecond);
  ASSERT_TRUE(take.allowed);
  EXPECT_EQ(take.remaining, 400);
  EXPECT_FALSE(Gcra(take.tat, 1000, 401, 100 * kSecond).allowed);
  EXPECT_TRUE(Gcra(take.tat, 1000, 400, 100 * kSecond).allowed);
}

TEST(GcraTest, AUseLargerThanTheLimitNeverFits) {
  GcraResult take = Gcra(0, 100, 101, 100 * kSecond);
  EXPECT_FALSE(take.allowed);
  EXPECT_GT(take.retry_after_ms, 0);
}

TEST(GcraTest, RoomOnlyAsksForOneWithoutTaking) {
  GcraResult room = Gcra(0, 10, 0, 100 * kSecond);
  EXPECT_TRUE(room.allowed);
  EXPECT_EQ(room.remaining, 10);
  // Output counted afterwards past the limit puts the limit in debt: no room until it drains.
  GcraResult debt = Gcra(0, 10, 25, 100 * kSecond, /*take_only_if_room=*/false);
  EXPECT_TRUE(debt.allowed);
  EXPECT_FALSE(Gcra(debt.tat, 10, 0, 100 * kSecond).allowed);
  EXPECT_TRUE(Gcra(debt.tat, 10, 0, 196 * kSecond).allowed);  // drained to one token of room
}

TEST(GcraTest, ResetIsTheTimeUntilTheLimitIsWhole) {
  GcraResult take = Gcra(0, 60, 30, 100 * kSecond);
  EXPECT_EQ(take.reset_ms, 30'000);
}

}  // namespace
}  // namespace switchyard::governance

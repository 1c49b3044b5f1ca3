// The simulated models' first-byte delays: a pure function of profile, seed and answer index, so
// that every `serve --demo` run races and hedges the same way; the slow tail is exactly one answer
// in each block, at a seeded position.
#include "demo/first_byte_delay.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace switchyard::demo {
namespace {

using std::chrono::milliseconds;

const DelayProfile kJittery{milliseconds(30), milliseconds(10)};
const DelayProfile kTailed{milliseconds(40), milliseconds(10), 10, 20};

std::vector<std::int64_t> Draws(const DelayProfile& profile, std::uint64_t seed, int count) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < count; ++i) out.push_back(FirstByteDelay(profile, seed, i).count());
  return out;
}

TEST(FirstByteDelayTest, TheSameSeedAndIndexGiveTheSameDelay) {
  EXPECT_EQ(Draws(kTailed, 7, 200), Draws(kTailed, 7, 200));
  // Out of order too: a draw does not depend on the ones before it.
  EXPECT_EQ(FirstByteDelay(kTailed, 7, 123), FirstByteDelay(kTailed, 7, 123));
}

TEST(FirstByteDelayTest, AnotherSeedGivesAnotherSequence) {
  EXPECT_NE(Draws(kJittery, 1, 50), Draws(kJittery, 2, 50));
}

TEST(FirstByteDelayTest, JitterStaysInItsRangeAndSpreadsOverIt) {
  std::set<std::int64_t> seen;
  for (std::int64_t delay : Draws(kJittery, 0x5eed, 2000)) {
    EXPECT_GE(delay, 20);
    EXPECT_LE(delay, 40);
    seen.insert(delay);
  }
  EXPECT_EQ(seen.size(), 21u) << "every millisecond of [20, 40] is drawn";
}

TEST(FirstByteDelayTest, JitterWiderThanTheDelayNeverGoesNegative) {
  const DelayProfile wide{milliseconds(5), milliseconds(50)};
  for (std::int64_t delay : Draws(wide, 3, 500)) {
    EXPECT_GE(delay, 0);
    EXPECT_LE(delay, 10);
  }
}

TEST(FirstByteDelayTest, NoTailUnlessAsked) {
  for (std::uint64_t i = 0; i < 1000; ++i) EXPECT_FALSE(InSlowTail(kJittery, 9, i));
}

TEST(FirstByteDelayTest, ExactlyOneAnswerInEachBlockOfTenIsTwentyTimesSlower) {
  std::set<std::uint64_t> positions;
  for (std::uint64_t block = 0; block < 100; ++block) {
    int slow = 0;
    for (std::uint64_t i = block * 10; i < block * 10 + 10; ++i) {
      const std::int64_t delay = FirstByteDelay(kTailed, 0x5eed0003, i).count();
      if (InSlowTail(kTailed, 0x5eed0003, i)) {
        ++slow;
        positions.insert(i % 10);
        EXPECT_GE(delay, 30 * 20) << "answer " << i;
        EXPECT_LE(delay, 50 * 20) << "answer " << i;
      } else {
        EXPECT_GE(delay, 30) << "answer " << i;
        EXPECT_LE(delay, 50) << "answer " << i;
      }
    }
    EXPECT_EQ(slow, 1) << "block " << block;
  }
  EXPECT_GT(positions.size(), 5u) << "the slow answer's place in its block is drawn, not fixed";
}

TEST(FirstByteDelayTest, ScheduleCountsEachModelFromZero) {
  DelaySchedule schedule(2);
  EXPECT_EQ(schedule.NextIndex(0), 0u);
  EXPECT_EQ(schedule.NextIndex(0), 1u);
  EXPECT_EQ(schedule.NextIndex(1), 0u);
  EXPECT_EQ(schedule.NextIndex(0), 2u);
  EXPECT_EQ(schedule.NextIndex(1), 1u);
  EXPECT_EQ(schedule.NextIndex(5), 0u) << "an index past the models counts nothing";
}

}  // namespace
}  // namespace switchyard::demo

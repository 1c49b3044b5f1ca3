#include "pricing/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace switchyard::pricing {
namespace {

TEST(CostNanosTest, ExactProducts) {
  // 1,000 tokens at $0.15 per million = $0.00015 = 150,000 nano-dollars.
  EXPECT_EQ(CostNanos(1'000, 150'000'000), 150'000);
  EXPECT_EQ(CostNanos(0, 150'000'000), 0);
  EXPECT_EQ(CostNanos(1'000'000, 3'000'000'000), 3'000'000'000);  // a million tokens at $3/M = $3
  EXPECT_EQ(CostNanos(7, 0), 0);                                  // a listed free price
}

TEST(CostNanosTest, RoundsHalfToEven) {
  // 1 nano-dollar per million tokens: the cost is tokens / 1e6 nano-dollars.
  EXPECT_EQ(CostNanos(499'999, 1), 0);
  EXPECT_EQ(CostNanos(500'000, 1), 0);  // 0.5 → 0 (even)
  EXPECT_EQ(CostNanos(500'001, 1), 1);
  EXPECT_EQ(CostNanos(1'500'000, 1), 2);  // 1.5 → 2 (even)
  EXPECT_EQ(CostNanos(2'500'000, 1), 2);  // 2.5 → 2 (even)
  EXPECT_EQ(CostNanos(2'500'001, 1), 3);
  EXPECT_EQ(CostNanos(3'500'000, 1), 4);  // 3.5 → 4 (even)
  // 3 tokens at 83,333,333 nanos/M = 249.999999 nanos → 250; 9 tokens = 749.999997 → 750.
  EXPECT_EQ(CostNanos(3, 83'333'333), 250);
  EXPECT_EQ(CostNanos(9, 83'333'333), 750);
  // 6 tokens at 250,000 nanos/M = 1.5 nanos → 2; 10 tokens = 2.5 → 2.
  EXPECT_EQ(CostNanos(6, 250'000), 2);
  EXPECT_EQ(CostNanos(10, 250'000), 2);
}

TEST(CostSumTest, RoundsOnceOverAllClasses) {
  // Two classes worth 0.5 nano-dollars each: rounding each would give 0 + 0; rounding the exact sum
  // once gives 1.
  CostSum sum;
  ASSERT_TRUE(sum.Add(500'000, 1));
  ASSERT_TRUE(sum.Add(250'000, 2));
  EXPECT_EQ(sum.Total(), 1);
  // 0.4 + 0.4 + 0.4 = 1.2 → 1, where per-class rounding would give 0.
  CostSum thirds;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(thirds.Add(400'000, 1));
  EXPECT_EQ(thirds.Total(), 1);
  EXPECT_EQ(CostSum{}.Total(), 0);
}

TEST(CostSumTest, NegativeOrOverflowIsUnknown) {
  EXPECT_EQ(CostNanos(-1, 100), std::nullopt);
  EXPECT_EQ(CostNanos(1, -100), std::nullopt);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(CostNanos(kMax, kMax), std::nullopt);  // fits in 128 bits, not in the int64 result
  CostSum sum;
  EXPECT_TRUE(sum.Add(kMax, kMax));   // ~2^126: at the accumulator's bound
  EXPECT_FALSE(sum.Add(kMax, kMax));  // would pass it: the sum is poisoned
  EXPECT_FALSE(sum.Add(1, 1));
  EXPECT_EQ(sum.Total(), std::nullopt);
  // The largest representable cost still comes back exactly.
  EXPECT_EQ(CostNanos(kMax, 1'000'000), kMax);
}

TEST(MoneyFormatUsdTest, ExactDecimalText) {
  EXPECT_EQ(FormatUsd(0), "0");
  EXPECT_EQ(FormatUsd(1), "0.000000001");
  EXPECT_EQ(FormatUsd(1234), "0.000001234");
  EXPECT_EQ(FormatUsd(150'000), "0.00015");
  EXPECT_EQ(FormatUsd(1'000'000'000), "1");
  EXPECT_EQ(FormatUsd(1'500'000'000), "1.5");
  EXPECT_EQ(FormatUsd(2'100'000), "0.0021");
  EXPECT_EQ(FormatUsd(123'456'789'012), "123.456789012");
  EXPECT_EQ(FormatUsd(10'000'000'000), "10");
  EXPECT_EQ(FormatUsd(-1234), "-0.000001234");
  EXPECT_EQ(FormatUsd(-2'000'000'000), "-2");
  EXPECT_EQ(FormatUsd(std::numeric_limits<std::int64_t>::max()), "9223372036.854775807");
  EXPECT_EQ(FormatUsd(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775808");
}

}  // namespace
}  // namespace switchyard::pricing

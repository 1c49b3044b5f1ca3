#include "config/size_parse.h"

#include <gtest/gtest.h>

namespace switchyard::config {
namespace {

TEST(ParseByteSizeTest, PlainBytes) {
  EXPECT_EQ(ParseByteSize("1048576"), 1048576u);
  EXPECT_EQ(ParseByteSize("0"), 0u);
}

TEST(ParseByteSizeTest, BinaryUnits) {
  EXPECT_EQ(ParseByteSize("32MiB"), 33554432u);
  EXPECT_EQ(ParseByteSize("64KiB"), 65536u);
  EXPECT_EQ(ParseByteSize("1GiB"), 1073741824u);
  EXPECT_EQ(ParseByteSize("2TiB"), 2ull << 40);
}

TEST(ParseByteSizeTest, DecimalUnits) {
  EXPECT_EQ(ParseByteSize("500KB"), 500000u);
  EXPECT_EQ(ParseByteSize("10MB"), 10000000u);
  EXPECT_EQ(ParseByteSize("3GB"), 3000000000u);
  EXPECT_EQ(ParseByteSize("7B"), 7u);
}

TEST(ParseByteSizeTest, UnitCaseAndOneSpace) {
  EXPECT_EQ(ParseByteSize("32mib"), 33554432u);
  EXPECT_EQ(ParseByteSize("32 MiB"), 33554432u);
  EXPECT_EQ(ParseByteSize("32  MiB"), std::nullopt);
}

TEST(ParseByteSizeTest, RejectsMalformed) {
  for (std::string_view text : {"", "MiB", "12XB", "-1", "1.5MiB", "0x10", " 5", "5 ", "ten"}) {
    EXPECT_EQ(ParseByteSize(text), std::nullopt) << text;
  }
}

TEST(ParseByteSizeTest, RejectsOverflow) {
  EXPECT_EQ(ParseByteSize("99999999999TiB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("99999999999999999999999"), std::nullopt);
}

TEST(ParseIntegerTest, AcceptsSignedDecimal) {
  EXPECT_EQ(ParseInteger("12"), 12);
  EXPECT_EQ(ParseInteger("-3"), -3);
  EXPECT_EQ(ParseInteger("+5"), 5);
  EXPECT_EQ(ParseInteger("0"), 0);
}

TEST(ParseIntegerTest, RejectsEverythingElse) {
  for (std::string_view text : {"", "+", "-", "1.5", "0x10", "12 ", " 12", "1e3", "++1", "abc"}) {
    EXPECT_EQ(ParseInteger(text), std::nullopt) << text;
  }
}

TEST(ParseUsdNanosTest, ReadsDecimalsExactly) {
  EXPECT_EQ(ParseUsdNanos("0.15", 10), 150'000'000);
  EXPECT_EQ(ParseUsdNanos("2", 10), 2'000'000'000);
  EXPECT_EQ(ParseUsdNanos("0.000000001", 10), 1);
  // 0.1 has no exact double; through one, 0.3 would come out as 299'999'999 or 300'000'001.
  EXPECT_EQ(ParseUsdNanos("0.3", 10), 300'000'000);
  EXPECT_EQ(ParseUsdNanos("10.999999999", 10), 10'999'999'999);
  EXPECT_EQ(ParseUsdNanos("0", 10), 0);
}

TEST(ParseUsdNanosTest, RejectsEverythingElse) {
  for (std::string_view text : {"", ".5", "1.", "-1", "+1", "1e3", "0.0000000001", "1,5", " 1",
                                "abc", "99999999999999999999"}) {
    EXPECT_EQ(ParseUsdNanos(text, 1'000'000), std::nullopt) << text;
  }
  EXPECT_EQ(ParseUsdNanos("11", 10), std::nullopt);
  EXPECT_EQ(ParseUsdNanos("10.5", 10), 10'500'000'000);  // the cap is on whole dollars
}

}  // namespace
}  // namespace switchyard::config

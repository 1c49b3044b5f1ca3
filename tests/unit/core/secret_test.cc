#include "core/secret.h"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(ConstantTimeEqualsTest, EqualStrings) { EXPECT_TRUE(ConstantTimeEquals("abc", "abc")); }
TEST(ConstantTimeEqualsTest, DifferentLengths) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}
TEST(ConstantTimeEqualsTest, SameLengthDifferentBytes) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
}
TEST(ConstantTimeEqualsTest, EmptyEqualsEmpty) { EXPECT_TRUE(ConstantTimeEquals("", "")); }

}  // namespace
}  // namespace switchyard

#include "http/header_value.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::http {
namespace {

TEST(HeaderValueTest, NamesAreTokens) {
  EXPECT_TRUE(IsHeaderName("x-switchyard-model"));
  EXPECT_TRUE(IsHeaderName("Content-Type"));
  EXPECT_TRUE(IsHeaderName("a!#$%&'*+-.^_`|~9"));
  EXPECT_FALSE(IsHeaderName(""));
  EXPECT_FALSE(IsHeaderName("x bad"));
  EXPECT_FALSE(IsHeaderName("x-bad:"));
  EXPECT_FALSE(IsHeaderName("x-bad\r\nX-Injected"));
  EXPECT_FALSE(IsHeaderName(std::string("x\0y", 3)));
  EXPECT_FALSE(IsHeaderName("x\xc3\xa9"));
}

TEST(HeaderValueTest, ValidValuesAreKeptAsTheyAre) {
  for (const std::string value :
       {"", "openai/gpt-4o-mini", "a\tb", "Wed, 21 Oct 2015 07:28:00 GMT", "caf\xc3\xa9",
        "text/event-stream; charset=utf-8"}) {
    EXPECT_TRUE(IsHeaderValue(value)) << value;
    EXPECT_EQ(SanitizeHeaderValue(value), value);
  }
}

TEST(HeaderValueTest, ControlCharactersAreRemoved) {
  EXPECT_FALSE(IsHeaderValue("openai/gpt-4o-mini\r\nX-Injected: 1"));
  EXPECT_EQ(SanitizeHeaderValue("openai/gpt-4o-mini\r\nX-Injected: 1"),
            "openai/gpt-4o-miniX-Injected: 1");
  EXPECT_EQ(SanitizeHeaderValue(std::string("a\0b\x01" "c\x7f" "d\x1f", 8)), "abcd");
  EXPECT_EQ(SanitizeHeaderValue("a\r\n\r\nHTTP/1.1 200 OK"), "aHTTP/1.1 200 OK");
}

TEST(HeaderValueTest, SurroundingWhitespaceIsTrimmedAfterTheRemoval) {
  EXPECT_FALSE(IsHeaderValue(" a"));
  EXPECT_FALSE(IsHeaderValue("a\t"));
  EXPECT_EQ(SanitizeHeaderValue("  a b \t"), "a b");
  EXPECT_EQ(SanitizeHeaderValue("a \r\n"), "a");
  EXPECT_EQ(SanitizeHeaderValue("\r\n \t\n"), "");
}

TEST(HeaderValueTest, SanitisingIsIdempotent) {
  for (const std::string value : {"a \r\n b", "\t\x01 x\x7f ", "\r\r\n\n"}) {
    const std::string once = SanitizeHeaderValue(value);
    EXPECT_TRUE(IsHeaderValue(once)) << once;
    EXPECT_EQ(SanitizeHeaderValue(once), once);
  }
}

TEST(HeaderValueTest, AppendWritesOneFieldOrNothing) {
  std::string out;
  AppendHeaderField(out, "x-a", "1\r\nX-Injected: 2");
  AppendHeaderField(out, "x-b\r\nX-Injected", "3");
  AppendHeaderField(out, "x-c", "ok");
  EXPECT_EQ(out, "x-a: 1X-Injected: 2\r\nx-c: ok\r\n");
}

}  // namespace
}  // namespace switchyard::http

#include "redis/redis_url.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::redis {
namespace {

RedisUrl ParseOk(const std::string& text) {
  Result<RedisUrl> url = RedisUrl::Parse(text);
  EXPECT_TRUE(url.ok()) << text << ": " << url.error().message;
  return url.ok() ? std::move(url).value() : RedisUrl{};
}

// The error for `text`, which must not parse; the message must not quote the URL.
Error ParseError(const std::string& text) {
  Result<RedisUrl> url = RedisUrl::Parse(text);
  EXPECT_FALSE(url.ok()) << "parsed: " << text;
  if (url.ok()) return Error{};
  EXPECT_EQ(url.error().kind, ErrorKind::kConfig);
  EXPECT_EQ(url.error().message.find(text), std::string::npos) << url.error().message;
  return url.error();
}

TEST(RedisUrlTest, HostAloneTakesTheDefaults) {
  const RedisUrl url = ParseOk("redis://cache.internal");
  EXPECT_EQ(url.host, "cache.internal");
  EXPECT_EQ(url.port, 6379);
  EXPECT_EQ(url.db, 0);
  EXPECT_TRUE(url.username.empty());
  EXPECT_TRUE(url.password.empty());
  EXPECT_EQ(url.Endpoint(), "cache.internal:6379");
}

TEST(RedisUrlTest, PortAndDatabase) {
  const RedisUrl url = ParseOk("redis://127.0.0.1:6380/3");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.db, 3);
  EXPECT_EQ(ParseOk("redis://h:1/").db, 0);
}

TEST(RedisUrlTest, PasswordAlone) {
  const RedisUrl url = ParseOk("redis://:s3cret@h:7000");
  EXPECT_TRUE(url.username.empty());
  EXPECT_EQ(url.password.reveal(), "s3cret");
  EXPECT_EQ(url.Endpoint(), "h:7000");
}

TEST(RedisUrlTest, UserAndPassword) {
  const RedisUrl url = ParseOk("redis://gateway:pw@h/2");
  EXPECT_EQ(url.username, "gateway");
  EXPECT_EQ(url.password.reveal(), "pw");
  EXPECT_EQ(url.db, 2);
}

TEST(RedisUrlTest, PasswordIsPercentDecodedAndMayHoldAtAndSlash) {
  EXPECT_EQ(ParseOk("redis://:a%40b%2Fc@h").password.reveal(), "a@b/c");
  // Unencoded: the last '@' ends the password.
  const RedisUrl url = ParseOk("redis://:p@ss/w#rd@h:1/4");
  EXPECT_EQ(url.password.reveal(), "p@ss/w#rd");
  EXPECT_EQ(url.host, "h");
  EXPECT_EQ(url.db, 4);
}

TEST(RedisUrlTest, Ipv6Host) {
  const RedisUrl url = ParseOk("redis://[::1]:6390");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 6390);
  EXPECT_EQ(url.Endpoint(), "[::1]:6390");
  EXPECT_EQ(ParseOk("redis://[fe80::2]").port, 6379);
}

TEST(RedisUrlTest, TlsSchemeIsRefusedWithTheReason) {
  const Error error = ParseError("rediss://:pw@h:6380");
  EXPECT_NE(error.message.find("TLS"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("hiredis"), std::string::npos) << error.message;
}

TEST(RedisUrlTest, MalformedUrlsAreRefused) {
  ParseError("http://h");
  ParseError("h:6379");
  ParseError("redis://");
  ParseError("redis://:6379");
  ParseError("redis://h:");
  ParseError("redis://h:0");
  ParseError("redis://h:65536");
  ParseError("redis://h:12ab");
  ParseError("redis://h/x");
  ParseError("redis://h/-1");
  ParseError("redis://h?db=1");
  ParseError("redis://[::1");
  ParseError("redis://[::1]x");
  ParseError("redis://:@h");
  ParseError("redis://nocolon@h");
  ParseError("redis://:bad%zzescape@h");
}

TEST(RedisUrlTest, ErrorsNeverQuoteThePassword) {
  for (const std::string text : {"redis://:hunter2-secret@h:notaport", "redis://u:hunter2-secret@",
                                 "redis://u:hunter2-secret@h/db", "rediss://:hunter2-secret@h"}) {
    const Error error = ParseError(text);
    EXPECT_EQ(error.message.find("hunter2-secret"), std::string::npos) << error.message;
  }
}

}  // namespace
}  // namespace switchyard::redis

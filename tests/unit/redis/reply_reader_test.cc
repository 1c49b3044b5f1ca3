#include "redis/reply_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "redis/command_encoder.h"

namespace switchyard::redis {
namespace {

using namespace std::string_literals;
using Kind = Reply::Kind;

// Feeds `bytes` and returns every complete reply; fails the test on a reader error.
std::vector<Reply> ReadAll(ReplyReader& reader, std::string_view bytes) {
  std::vector<Reply> replies;
  EXPECT_TRUE(reader.Feed(bytes).ok());
  for (;;) {
    Result<std::optional<Reply>> next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.error().message;
    if (!next.ok() || !next->has_value()) return replies;
    replies.push_back(std::move(**next));
  }
}

// Feeds `bytes` and returns the first reader error (an Error with an empty message if none).
Error FirstError(ReplyReader& reader, std::string_view bytes) {
  Status fed = reader.Feed(bytes);
  if (!fed.ok()) return fed.error();
  for (;;) {
    Result<std::optional<Reply>> next = reader.Next();
    if (!next.ok()) return next.error();
    if (!next->has_value()) return Error{};
  }
}

TEST(RedisReplyReaderTest, EveryKindInOrder) {
  ReplyReader reader(1024);
  const std::vector<Reply> replies =
      ReadAll(reader, "+OK\r\n-ERR no\r\n:-42\r\n$3\r\na\0b\r\n$-1\r\n*-1\r\n*0\r\n"s);
  ASSERT_EQ(replies.size(), 7u);
  EXPECT_EQ(replies[0].kind(), Kind::kStatus);
  EXPECT_EQ(replies[0].text(), "OK");
  EXPECT_EQ(replies[1].kind(), Kind::kError);
  EXPECT_EQ(replies[1].text(), "ERR no");
  EXPECT_EQ(replies[2].kind(), Kind::kInteger);
  EXPECT_EQ(replies[2].integer(), -42);
  EXPECT_EQ(replies[3].kind(), Kind::kString);
  EXPECT_EQ(replies[3].text(), "a\0b"s);
  EXPECT_TRUE(replies[4].is_nil());
  EXPECT_TRUE(replies[5].is_nil());
  EXPECT_EQ(replies[6].kind(), Kind::kArray);
  EXPECT_TRUE(replies[6].elements().empty());
}

TEST(RedisReplyReaderTest, NestedArrays) {
  ReplyReader reader(1024);
  const std::vector<Reply> replies = ReadAll(reader, "*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n+s\r\n");
  ASSERT_EQ(replies.size(), 1u);
  Result<std::span<const Reply>> top = replies[0].AsArray();
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 3u);
  EXPECT_EQ((*top)[0].integer(), 1);
  ASSERT_EQ((*top)[1].elements().size(), 2u);
  EXPECT_EQ((*top)[1].elements()[0].text(), "x");
  EXPECT_TRUE((*top)[1].elements()[1].is_nil());
  EXPECT_EQ((*top)[2].text(), "s");
}

TEST(RedisReplyReaderTest, ByteAtATime) {
  ReplyReader reader(1024);
  const std::string wire = "*2\r\n$5\r\nhello\r\n:7\r\n+PONG\r\n";
  std::vector<Reply> replies;
  for (char c : wire) {
    for (Reply& reply : ReadAll(reader, std::string_view(&c, 1))) replies.push_back(reply);
  }
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].elements()[0].text(), "hello");
  EXPECT_EQ(replies[0].elements()[1].integer(), 7);
  EXPECT_EQ(replies[1].text(), "PONG");
}

TEST(RedisReplyReaderTest, ReplyOverTheLimitIsRefusedWhileArriving) {
  ReplyReader reader(100);
  // The header announces 1 MB; the reader gives up once more than 100 bytes of it have arrived.
  EXPECT_TRUE(FirstError(reader, "$1000000\r\n" + std::string(50, 'a')).message.empty());
  const Error error = FirstError(reader, std::string(60, 'a'));
  EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
  EXPECT_NE(error.message.find("limit of 100 bytes"), std::string::npos) << error.message;
}

TEST(RedisReplyReaderTest, CompleteReplyOverTheLimitIsRefused) {
  ReplyReader reader(100);
  const Error error = FirstError(reader, "$200\r\n" + std::string(200, 'a') + "\r\n");
  EXPECT_NE(error.message.find("limit of 100 bytes"), std::string::npos) << error.message;
}

TEST(RedisReplyReaderTest, RepliesWithinTheLimitEachCountFromZero) {
  ReplyReader reader(100);
  std::string wire;
  for (int i = 0; i < 20; ++i) wire += "$80\r\n" + std::string(80, 'a') + "\r\n";
  EXPECT_EQ(ReadAll(reader, wire).size(), 20u);
}

TEST(RedisReplyReaderTest, HugeArrayHeaderIsRefusedBeforeAllocating) {
  ReplyReader reader(1 << 20);
  const Error error = FirstError(reader, "*2000000000\r\n");
  EXPECT_NE(error.message.find("limit of"), std::string::npos) << error.message;
}

TEST(RedisReplyReaderTest, GarbageIsAProtocolError) {
  ReplyReader reader(1024);
  const Error error = FirstError(reader, "hello\r\n");
  EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
  EXPECT_NE(error.message.find("malformed"), std::string::npos) << error.message;
}

TEST(RedisCommandEncoderTest, BinarySafeBulkStrings) {
  std::string out;
  ASSERT_TRUE(AppendCommand(out, {"SET", "k", "a\r\n\0b"s}).ok());
  EXPECT_EQ(out, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\n\0b\r\n"s);
  EXPECT_FALSE(AppendCommand(out, {}).ok());
}

TEST(RedisReplyTest, AsReadersSayWhatWasExpected) {
  EXPECT_EQ(*Reply::FromInteger(5).AsInteger(), 5);
  EXPECT_EQ(*Reply::FromString("v").AsString(), "v");
  EXPECT_EQ(*Reply::FromStatus("OK").AsString(), "OK");
  const Result<long long> wrong = Reply::FromString("v").AsInteger();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kInternal);
  EXPECT_NE(wrong.error().message.find("string where an integer"), std::string::npos);
  const Result<std::string_view> error = Reply::FromError("WRONGTYPE x").AsString();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(error.error().message.find("WRONGTYPE x"), std::string::npos);
  EXPECT_FALSE(Reply::Nil().AsString().ok());
  EXPECT_FALSE(Reply::FromInteger(1).AsArray().ok());
}

}  // namespace
}  // namespace switchyard::redis

// RedisClient against the real server scripts/with-redis.sh starts: commands, pipelining, error
// replies, scripts, databases.
#include "redis/redis_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/io_test_util.h"
#include "redis/script.h"
#include "unit/redis/redis_test_util.h"

namespace switchyard::redis {
namespace {

using switchyard::testing::RunTask;
using switchyard::testing::RunUntil;
using testing_util::Cmd;
using testing_util::ParseTestUrl;
using testing_util::RedisTestUrl;

// The reply of a command that must succeed at the transport level.
Reply Expect(Result<Reply> reply) {
  EXPECT_TRUE(reply.ok()) << reply.error().message;
  return reply.ok() ? std::move(reply).value() : Reply::FromError("transport failure");
}

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override { SKIP_WITHOUT_REDIS(); }

  // A key unique to the test, so tests sharing the server never see each other's data.
  std::string Key(const std::string& name) const {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("test:") + info->name() + ":" + name;
  }

  net::io_context io_;
};

TEST_F(RedisClientTest, SetGetIncrAndNil) {
  RedisClient client(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  RunTask(io_, [&]() -> Task<void> {
    Expect(co_await client.Command(Cmd("DEL", Key("s"), Key("n"), Key("missing"))));
    Reply set = Expect(co_await client.Command(Cmd("SET", Key("s"), "hello")));
    EXPECT_EQ(set.kind(), Reply::Kind::kStatus);
    EXPECT_EQ(set.text(), "OK");
    Reply get = Expect(co_await client.Command(Cmd("GET", Key("s"))));
    EXPECT_EQ(get.kind(), Reply::Kind::kString);
    EXPECT_EQ(*get.AsString(), "hello");
    Reply first = Expect(co_await client.Command(Cmd("INCR", Key("n"))));
    Reply second = Expect(co_await client.Command(Cmd("INCRBY", Key("n"), "41")));
    EXPECT_EQ(*first.AsInteger(), 1);
    EXPECT_EQ(*second.AsInteger(), 42);
    Reply missing = Expect(co_await client.Command(Cmd("GET", Key("missing"))));
    EXPECT_TRUE(missing.is_nil());
  });
  EXPECT_TRUE(client.healthy());
}

TEST_F(RedisClientTest, ConcurrentCommandsArePipelinedAndAnsweredInOrder) {
  RedisClient client(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  constexpr int kCommands = 300;
  std::vector<std::optional<long long>> counts(kCommands);
  std::vector<std::optional<std::string>> echoes(kCommands);
  int finished = 0;
  RunTask(io_, [&]() -> Task<void> {
    Expect(co_await client.Command(Cmd("DEL", Key("counter"))));
  });
  // Each coroutine's INCR is issued in spawn order, so the server must count them in that order;
  // its ECHO checks that each reply reaches the command that asked for it.
  for (int i = 0; i < kCommands; ++i) {
    net::co_spawn(
        io_,
        [&, i]() -> Task<void> {
          Reply count = Expect(co_await client.Command(Cmd("INCR", Key("counter"))));
          const std::string text = "echo-" + std::to_string(i);
          Reply echo = Expect(co_await client.Command(Cmd("ECHO", text)));
          if (count.kind() == Reply::Kind::kInteger) counts[i] = count.integer();
          if (echo.kind() == Reply::Kind::kString) echoes[i] = echo.text();
          ++finished;
        },
        net::detached);
  }
  RunUntil(io_, [&] { return finished == kCommands; });
  for (int i = 0; i < kCommands; ++i) {
    EXPECT_EQ(counts[i], i + 1) << "command " << i;
    EXPECT_EQ(echoes[i], "echo-" + std::to_string(i)) << "command " << i;
  }
}

TEST_F(RedisClientTest, ErrorReplyIsAnAnswerNotAFailure) {
  RedisClient client(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  RunTask(io_, [&]() -> Task<void> {
    Expect(co_await client.Command(Cmd("SET", Key("text"), "not a number")));
    Reply error = Expect(co_await client.Command(Cmd("INCR", Key("text"))));
    EXPECT_TRUE(error.is_error());
    EXPECT_TRUE(error.text().starts_with("ERR")) << error.text();
    const Result<long long> as_integer = error.AsInteger();
    EXPECT_FALSE(as_integer.ok());
    if (!as_integer.ok()) {
      EXPECT_EQ(as_integer.error().kind, ErrorKind::kUnavailable);
    }
    Reply unknown = Expect(co_await client.Command(Cmd("NOSUCHCOMMAND")));
    EXPECT_TRUE(unknown.is_error());
    // The connection goes on.
    Reply pong = Expect(co_await client.Command(Cmd("PING")));
    EXPECT_EQ(pong.text(), "PONG");
  });
  EXPECT_TRUE(client.healthy());
}

// Calls per command from INFO commandstats ("cmdstat_evalsha:calls=2,..."); 0 when absent.
long long Calls(const std::string& info, const std::string& command) {
  const std::string prefix = "cmdstat_" + command + ":calls=";
  const std::size_t at = info.find(prefix);
  return at == std::string::npos ? 0 : std::stoll(info.substr(at + prefix.size()));
}

TEST_F(RedisClientTest, EvalFallsBackToEvalOnNoscriptThenUsesTheSha) {
  RedisClient client(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  const Script script(
      "return {tonumber(ARGV[1]) + 1, {KEYS[1], 'nested'}, redis.call('INCR', KEYS[1])}");
  RunTask(io_, [&]() -> Task<void> {
    Expect(co_await client.Command(Cmd("DEL", Key("evals"))));
    Expect(co_await client.Command(Cmd("SCRIPT", "FLUSH")));
    Expect(co_await client.Command(Cmd("CONFIG", "RESETSTAT")));
    Reply first = Expect(co_await client.Eval(script, Cmd(Key("evals")), Cmd("41")));
    EXPECT_EQ(first.elements().size(), 3u);
    if (first.elements().size() != 3) co_return;
    EXPECT_EQ(first.elements()[0].integer(), 42);
    EXPECT_EQ(first.elements()[1].elements()[0].text(), Key("evals"));
    EXPECT_EQ(first.elements()[1].elements()[1].text(), "nested");
    EXPECT_EQ(first.elements()[2].integer(), 1);
    Reply second = Expect(co_await client.Eval(script, Cmd(Key("evals")), Cmd("1")));
    EXPECT_EQ(second.elements().size(), 3u);
    if (second.elements().size() != 3) co_return;
    EXPECT_EQ(second.elements()[2].integer(), 2);
    Reply info = Expect(co_await client.Command(Cmd("INFO", "commandstats")));
    // One EVAL (after the first EVALSHA's NOSCRIPT); the second call was an EVALSHA hit.
    EXPECT_EQ(Calls(info.text(), "eval"), 1) << info.text();
    EXPECT_GE(Calls(info.text(), "evalsha"), 1) << info.text();
    Reply loaded = Expect(co_await client.Command(Cmd("SCRIPT", "LOAD", script.source())));
    EXPECT_EQ(loaded.text(), script.sha1());
  });
}

TEST_F(RedisClientTest, ScriptErrorIsAnErrorReply) {
  RedisClient client(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  const Script script("return redis.error_reply('budget exhausted')");
  RunTask(io_, [&]() -> Task<void> {
    Reply reply = Expect(co_await client.Eval(script, Cmd(), Cmd()));
    EXPECT_TRUE(reply.is_error());
    EXPECT_EQ(reply.text(), "budget exhausted");
  });
}

TEST_F(RedisClientTest, SelectsTheDatabaseOfTheUrl) {
  RedisClient db0(io_.get_executor(), ParseTestUrl(RedisTestUrl()));
  RedisClient db1(io_.get_executor(), ParseTestUrl(RedisTestUrl() + "/1"));
  RunTask(io_, [&]() -> Task<void> {
    Expect(co_await db0.Command(Cmd("DEL", Key("where"))));
    Expect(co_await db1.Command(Cmd("SET", Key("where"), "db1")));
    Reply in_db0 = Expect(co_await db0.Command(Cmd("GET", Key("where"))));
    Reply in_db1 = Expect(co_await db1.Command(Cmd("GET", Key("where"))));
    EXPECT_TRUE(in_db0.is_nil());
    EXPECT_EQ(in_db1.text(), "db1");
  });
}

}  // namespace
}  // namespace switchyard::redis

// RedisClient when things go wrong: passwords, the bounds of RedisOptions, an abandoned command, a
// server that never answers or answers garbage, one that is not there or never accepts, and one
// killed and restarted mid-use. Outcomes and order are asserted, never durations; waits are bounded
// only as a safety net.
#include "redis/redis_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/io_test_util.h"
#include "unit/redis/redis_test_util.h"

namespace switchyard::redis {
namespace {

using namespace std::chrono_literals;
using switchyard::testing::RunTask;
using switchyard::testing::RunUntil;
using testing_util::Cmd;
using testing_util::FakeRedisServer;
using testing_util::ParseTestUrl;
using testing_util::RedisServerProcess;
using testing_util::RedisTestUrl;
using testing_util::Sleep;
using testing_util::Yield;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The error of a command that must fail at the transport level (an Error{} if it succeeded).
Error ExpectFailure(const Result<Reply>& reply) {
  EXPECT_FALSE(reply.ok()) << "the command succeeded";
  return reply.ok() ? Error{} : reply.error();
}

// Spawns client.Command(args) and stores its outcome in `slot` when it ends.
void Spawn(net::io_context& io, RedisClient& client, std::vector<std::string> args,
           std::optional<Result<Reply>>& slot) {
  net::co_spawn(
      io,
      [&client, &slot, args = std::move(args)]() mutable -> Task<void> {
        Result<Reply> reply = co_await client.Command(std::move(args));
        slot.emplace(std::move(reply));
      },
      net::detached);
}

constexpr char kPassword[] = "pw-S3cret-xyz";

TEST(RedisAuthTest, PasswordAloneAndDefaultUserBothLogIn) {
  SKIP_WITHOUT_REDIS();
  RedisServerProcess server({"--requirepass", kPassword});
  ASSERT_TRUE(server.Start());
  net::io_context io;
  RedisClient by_password(io.get_executor(),
                          ParseTestUrl(server.url(std::string(":") + kPassword + "@")));
  RedisClient by_user(io.get_executor(),
                      ParseTestUrl(server.url(std::string("default:") + kPassword + "@")));
  RunTask(io, [&]() -> Task<void> {
    Result<Reply> first = co_await by_password.Command(Cmd("PING"));
    Result<Reply> second = co_await by_user.Command(Cmd("PING"));
    EXPECT_TRUE(first.ok() && first->text() == "PONG");
    EXPECT_TRUE(second.ok() && second->text() == "PONG");
  });
}

TEST(RedisAuthTest, WrongPasswordFailsWithoutQuotingIt) {
  SKIP_WITHOUT_REDIS();
  RedisServerProcess server({"--requirepass", kPassword});
  ASSERT_TRUE(server.Start());
  net::io_context io;
  const std::string wrong = "wrong-Pass-987";
  RedisClient client(io.get_executor(), ParseTestUrl(server.url(":" + wrong + "@")));
  RunTask(io, [&]() -> Task<void> {
    Status connected = co_await client.Connect();
    EXPECT_FALSE(connected.ok());
    if (connected.ok()) co_return;
    const Error& error = connected.error();
    EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(error.message, "refused the login")) << error.message;
    EXPECT_TRUE(Contains(error.message, "127.0.0.1:" + std::to_string(server.port())));
    EXPECT_FALSE(Contains(error.message, wrong)) << error.message;
    EXPECT_FALSE(Contains(error.message, kPassword)) << error.message;
    EXPECT_FALSE(Contains(error.message, "redis://")) << error.message;
  });
  EXPECT_FALSE(client.healthy());
}

TEST(RedisAuthTest, NoPasswordGetsTheServersNoauthErrorReply) {
  SKIP_WITHOUT_REDIS();
  RedisServerProcess server({"--requirepass", kPassword});
  ASSERT_TRUE(server.Start());
  net::io_context io;
  RedisClient client(io.get_executor(), ParseTestUrl(server.url()));
  RunTask(io, [&]() -> Task<void> {
    Result<Reply> reply = co_await client.Command(Cmd("GET", "k"));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) co_return;
    EXPECT_TRUE(reply->is_error());
    EXPECT_TRUE(reply->text().starts_with("NOAUTH")) << reply->text();
  });
}

TEST(RedisLimitsTest, ReplyOverMaxReplyBytesFailsCleanlyAndTheNextCommandReconnects) {
  SKIP_WITHOUT_REDIS();
  net::io_context io;
  RedisOptions options;
  options.max_reply_bytes = 1024;
  RedisClient client(io.get_executor(), ParseTestUrl(RedisTestUrl()), options);
  RunTask(io, [&]() -> Task<void> {
    const std::string big(10000, 'x');
    Result<Reply> set = co_await client.Command(Cmd("SET", "test:limits:big", big));
    EXPECT_TRUE(set.ok());
    const Error error = ExpectFailure(co_await client.Command(Cmd("GET", "test:limits:big")));
    EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(error.message, "max_reply_bytes")) << error.message;
    EXPECT_FALSE(client.healthy());
    // Not a connect failure: no backoff, the next command gets a fresh connection.
    Result<Reply> small = co_await client.Command(Cmd("STRLEN", "test:limits:big"));
    EXPECT_TRUE(small.ok() && small->integer() == 10000);
    EXPECT_TRUE(client.healthy());
  });
}

// BLPOP on an empty list holds the connection (Redis answers in order), so the commands behind it
// stay pending until another client pushes.
TEST(RedisLimitsTest, MaxPendingRefusesAtOnceInsteadOfQueueing) {
  SKIP_WITHOUT_REDIS();
  net::io_context io;
  RedisOptions options;
  options.max_pending = 4;
  options.command_timeout = 15s;
  RedisClient client(io.get_executor(), ParseTestUrl(RedisTestUrl()), options);
  RedisClient other(io.get_executor(), ParseTestUrl(RedisTestUrl()));
  std::vector<std::optional<Result<Reply>>> held(4);
  RunTask(io, [&]() -> Task<void> {
    Result<Reply> deleted = co_await client.Command(Cmd("DEL", "test:limits:list"));
    EXPECT_TRUE(deleted.ok());
    Spawn(io, client, Cmd("BLPOP", "test:limits:list", "0"), held[0]);
    for (int i = 1; i < 4; ++i) Spawn(io, client, Cmd("PING"), held[i]);
    co_await Yield();
    const Error refused = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_EQ(refused.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(refused.message, "max_pending")) << refused.message;
    for (const auto& slot : held) EXPECT_FALSE(slot.has_value()) << "a held command ended early";
    Result<Reply> pushed = co_await other.Command(Cmd("RPUSH", "test:limits:list", "item"));
    EXPECT_TRUE(pushed.ok());
  });
  RunUntil(io, [&] { return held[3].has_value(); });
  ASSERT_TRUE(held[0].has_value() && held[0]->ok());
  ASSERT_EQ(held[0]->value().elements().size(), 2u);
  EXPECT_EQ(held[0]->value().elements()[1].text(), "item");
  for (int i = 1; i < 4; ++i) {
    ASSERT_TRUE(held[i].has_value() && held[i]->ok());
    EXPECT_EQ(held[i]->value().text(), "PONG");
  }
}

// A command abandoned by its caller (here: it loses a race with a timer) stays in the FIFO; its
// reply, when it comes, is dropped, and the next command still gets its own reply.
TEST(RedisCancelTest, AbandonedCommandsReplyIsDroppedAndOrderHolds) {
  SKIP_WITHOUT_REDIS();
  using namespace boost::asio::experimental::awaitable_operators;
  net::io_context io;
  RedisOptions options;
  options.command_timeout = 15s;
  RedisClient client(io.get_executor(), ParseTestUrl(RedisTestUrl()), options);
  RedisClient other(io.get_executor(), ParseTestUrl(RedisTestUrl()));
  RunTask(io, [&]() -> Task<void> {
    Result<Reply> deleted = co_await client.Command(Cmd("DEL", "test:abandon:list"));
    EXPECT_TRUE(deleted.ok());
    auto raced = co_await (client.Command(Cmd("BLPOP", "test:abandon:list", "0")) ||
                           Sleep(50ms));
    EXPECT_EQ(raced.index(), 1u) << "BLPOP cannot finish before the push";
    Result<Reply> pushed = co_await other.Command(Cmd("RPUSH", "test:abandon:list", "item"));
    EXPECT_TRUE(pushed.ok());
    Result<Reply> echo = co_await client.Command(Cmd("ECHO", "after"));
    EXPECT_TRUE(echo.ok() && echo->text() == "after");
    EXPECT_TRUE(client.healthy());
  });
}

TEST(RedisDeadlineTest, NoReplyInTimeFailsEveryPendingCommandAndClosesTheConnection) {
  net::io_context io;
  FakeRedisServer silent(io, "");
  RedisOptions options;
  options.command_timeout = 200ms;
  RedisClient client(io.get_executor(), ParseTestUrl(silent.url()), options);
  std::optional<Result<Reply>> first;
  std::optional<Result<Reply>> second;
  Spawn(io, client, Cmd("GET", "a"), first);
  Spawn(io, client, Cmd("GET", "b"), second);
  RunUntil(io, [&] { return first.has_value() && second.has_value(); });
  for (const auto* outcome : {&first, &second}) {
    const Error error = ExpectFailure(**outcome);
    EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(error.message, "no reply within 200 ms")) << error.message;
  }
  EXPECT_FALSE(client.healthy());
}

TEST(RedisProtocolTest, GarbageFromTheServerFailsTheCommand) {
  net::io_context io;
  FakeRedisServer garbage(io, "this is not RESP\r\n");
  RedisClient client(io.get_executor(), ParseTestUrl(garbage.url()));
  RunTask(io, [&]() -> Task<void> {
    const Error error = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(error.message, "malformed")) << error.message;
  });
  EXPECT_FALSE(client.healthy());
}

TEST(RedisUnreachableTest, ClosedPortFailsWithUnavailableThenFailsFastDuringTheBackoff) {
  net::io_context io;
  RedisOptions options;
  options.reconnect_backoff = 60s;  // the second command certainly falls inside it
  RedisClient client(io.get_executor(),
                     ParseTestUrl("redis://127.0.0.1:" +
                                  std::to_string(testing_util::FreeLoopbackPort())),
                     options);
  RunTask(io, [&]() -> Task<void> {
    const Error refused = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_EQ(refused.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(refused.message, "cannot connect to redis at 127.0.0.1:"))
        << refused.message;
    const Error fast = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_EQ(fast.kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(fast.message, "next connect in")) << fast.message;
    EXPECT_TRUE(Contains(fast.message, "cannot connect")) << fast.message;
  });
  EXPECT_FALSE(client.healthy());
}

// A listener with a backlog of 0 that never accepts: once one connection fills the queue, Linux
// drops further SYNs, so a connect hangs until our deadline ends it.
TEST(RedisUnreachableTest, ConnectDeadlineEndsAConnectThatHangs) {
  net::io_context io;
  net::ip::tcp::acceptor full(io, {net::ip::make_address("127.0.0.1"), 0}, true);
  full.listen(0);
  net::ip::tcp::socket filler(io);
  filler.connect(full.local_endpoint());
  RedisOptions options;
  options.connect_timeout = 300ms;
  RedisClient client(io.get_executor(),
                     ParseTestUrl("redis://127.0.0.1:" +
                                  std::to_string(full.local_endpoint().port())),
                     options);
  RunTask(io, [&]() -> Task<void> {
    Status connected = co_await client.Connect();
    EXPECT_FALSE(connected.ok());
    if (connected.ok()) co_return;
    EXPECT_EQ(connected.error().kind, ErrorKind::kUnavailable);
    EXPECT_TRUE(Contains(connected.error().message, "timed out after 300 ms"))
        << connected.error().message;
  });
  EXPECT_FALSE(client.healthy());
}

// While a connect hangs, the commands waiting for it are bounded by max_pending too.
TEST(RedisUnreachableTest, CommandsWaitingForAConnectAreBounded) {
  net::io_context io;
  net::ip::tcp::acceptor full(io, {net::ip::make_address("127.0.0.1"), 0}, true);
  full.listen(0);
  net::ip::tcp::socket filler(io);
  filler.connect(full.local_endpoint());
  RedisOptions options;
  options.connect_timeout = 5s;
  options.max_pending = 2;
  RedisClient client(io.get_executor(),
                     ParseTestUrl("redis://127.0.0.1:" +
                                  std::to_string(full.local_endpoint().port())),
                     options);
  std::vector<std::optional<Result<Reply>>> outcomes(4);
  for (auto& slot : outcomes) Spawn(io, client, Cmd("PING"), slot);
  RunUntil(io, [&] { return outcomes[3].has_value(); });
  // The first command connects, the next two wait for it, the fourth is refused at once.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(outcomes[i].has_value()) << "command " << i;
  const Error refused = ExpectFailure(*outcomes[3]);
  EXPECT_TRUE(Contains(refused.message, "wait for the connect (max_pending)")) << refused.message;
}

// Commands issued together while the first connect is under way share it: one connect, one error.
TEST(RedisUnreachableTest, ConcurrentCommandsShareOneConnectAttempt) {
  net::io_context io;
  RedisOptions options;
  options.reconnect_backoff = 60s;
  RedisClient client(io.get_executor(),
                     ParseTestUrl("redis://127.0.0.1:" +
                                  std::to_string(testing_util::FreeLoopbackPort())),
                     options);
  std::vector<std::optional<Result<Reply>>> outcomes(5);
  for (auto& slot : outcomes) Spawn(io, client, Cmd("PING"), slot);
  RunUntil(io, [&] { return outcomes.back().has_value(); });
  int connect_errors = 0;
  for (const auto& slot : outcomes) {
    ASSERT_TRUE(slot.has_value());
    const Error error = ExpectFailure(*slot);
    EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
    if (!Contains(error.message, "next connect in")) ++connect_errors;
  }
  EXPECT_EQ(connect_errors, 1);
}

TEST(RedisRestartTest, ServerKilledMidUseThenRestartedIsReconnectedAfterTheBackoff) {
  SKIP_WITHOUT_REDIS();
  RedisServerProcess server;
  ASSERT_TRUE(server.Start());
  net::io_context io;
  RedisOptions options;
  options.reconnect_backoff = 1s;
  options.max_reconnect_backoff = 1s;
  options.command_timeout = 15s;
  RedisClient client(io.get_executor(), ParseTestUrl(server.url()), options);
  std::optional<Result<Reply>> blocked;
  RunTask(io, [&]() -> Task<void> {
    Result<Reply> set = co_await client.Command(Cmd("SET", "k", "v"));
    EXPECT_TRUE(set.ok());
    Spawn(io, client, Cmd("BLPOP", "empty", "0"), blocked);
    co_await Yield();
    server.Kill();
  });
  RunUntil(io, [&] { return blocked.has_value(); });
  const Error pending = ExpectFailure(*blocked);
  EXPECT_EQ(pending.kind, ErrorKind::kUnavailable);
  EXPECT_FALSE(client.healthy());
  RunTask(io, [&]() -> Task<void> {
    const Error refused = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_TRUE(Contains(refused.message, "cannot connect")) << refused.message;
    const Error fast = ExpectFailure(co_await client.Command(Cmd("PING")));
    EXPECT_TRUE(Contains(fast.message, "next connect in")) << fast.message;
    EXPECT_TRUE(server.Start());
    // Fails fast until the backoff passes, then reconnects; the data is gone (no persistence).
    std::optional<Result<Reply>> reply;
    for (int attempt = 0; attempt < 100; ++attempt) {
      reply.emplace(co_await client.Command(Cmd("GET", "k")));
      if (reply->ok()) break;
      EXPECT_TRUE(Contains(reply->error().message, "next connect in")) << reply->error().message;
      co_await Sleep(100ms);
    }
    EXPECT_TRUE(reply->ok());
    if (reply->ok()) {
      EXPECT_TRUE(reply->value().is_nil());
    }
  });
  EXPECT_TRUE(client.healthy());
}

}  // namespace
}  // namespace switchyard::redis

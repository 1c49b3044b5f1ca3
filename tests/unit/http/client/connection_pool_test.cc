#include "http/client/connection_pool.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <optional>
#include <string>

#include "fakes/fake_http_server.h"
#include "fakes/io_test_util.h"

namespace switchyard::http {
namespace {

using ::switchyard::testing::FakeHttpServer;

UpstreamEndpoint Endpoint(const std::string& url) {
  Result<UpstreamEndpoint> endpoint = ParseUpstreamEndpoint(url);
  EXPECT_TRUE(endpoint.ok()) << url;
  return endpoint.ok() ? *endpoint : UpstreamEndpoint{};
}

// Blocks until the kernel holds something to read for `connection` (here: the peer's FIN). An
// event, not a delay; the bound is only a safety net.
void WaitUntilReadable(UpstreamConnection& connection) {
  pollfd fd{};
  fd.fd = connection.tcp().socket().native_handle();
  fd.events = POLLIN | POLLRDHUP;
  ASSERT_EQ(::poll(&fd, 1, /*timeout_ms=*/20'000), 1);
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPoolTest() {
    server_.AddScript(FakeHttpServer::HoldOpen());
    endpoint_ = Endpoint(server_.Url("/v1"));
  }
  ~ConnectionPoolTest() override {
    signal_.Notify();  // a script may still wait on it when a test failed half-way
    server_.Stop();
    other_server_.Stop();
    pool_.Clear();
    ::switchyard::testing::Drain(io_);
  }

  // Acquires a connection from `pool`, failing the test on an error.
  struct Acquired {
    std::unique_ptr<UpstreamConnection> connection;
    bool reused = false;
    std::optional<Error> error;
  };
  Acquired Acquire(ConnectionPool& pool, const UpstreamEndpoint& endpoint,
                   bool allow_reuse = true) {
    Acquired out;
    ::switchyard::testing::RunTask(io_, [&]() -> Task<> {
      auto lease = co_await pool.Acquire(
          endpoint, UpstreamConnection::Clock::now() + std::chrono::seconds(10), allow_reuse);
      if (!lease.ok()) {
        out.error = lease.error();
        co_return;
      }
      out.connection = std::move(lease->connection);
      out.reused = lease->reused;
    });
    return out;
  }
  Acquired Acquire(bool allow_reuse = true) { return Acquire(pool_, endpoint_, allow_reuse); }

  template <class Predicate>
  void RunUntil(Predicate done) {
    ::switchyard::testing::RunUntil(io_, done);
  }

  net::io_context io_;
  net::ssl::context tls_{net::ssl::context::tls_client};
  FakeHttpServer server_{io_.get_executor()};
  FakeHttpServer other_server_{io_.get_executor()};  // without a script: holds connections open
  ConnectionPool pool_{io_.get_executor(), tls_};
  UpstreamEndpoint endpoint_;
  ::switchyard::testing::FakeSignal signal_{io_.get_executor()};  // for scripts to wait on
};

TEST_F(ConnectionPoolTest, ConnectsWhenNothingIsIdle) {
  Acquired first = Acquire();
  ASSERT_FALSE(first.error.has_value()) << first.error->message;
  ASSERT_NE(first.connection, nullptr);
  EXPECT_FALSE(first.reused);
  EXPECT_TRUE(first.connection->open());
  RunUntil([&] { return server_.accepted() == 1; });
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(ConnectionPoolTest, ReleasedConnectionIsReused) {
  Acquired first = Acquire();
  ASSERT_NE(first.connection, nullptr);
  UpstreamConnection* const raw = first.connection.get();
  pool_.Release(endpoint_, std::move(first.connection));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);

  Acquired second = Acquire();
  ASSERT_NE(second.connection, nullptr);
  EXPECT_TRUE(second.reused);
  EXPECT_EQ(second.connection.get(), raw);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  EXPECT_EQ(server_.accepted(), 1);
}

TEST_F(ConnectionPoolTest, AllowReuseFalseAlwaysConnects) {
  Acquired first = Acquire();
  ASSERT_NE(first.connection, nullptr);
  pool_.Release(endpoint_, std::move(first.connection));

  Acquired fresh = Acquire(/*allow_reuse=*/false);
  ASSERT_NE(fresh.connection, nullptr);
  EXPECT_FALSE(fresh.reused);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);  // the idle one is left alone
  RunUntil([&] { return server_.accepted() == 2; });
}

TEST_F(ConnectionPoolTest, MostRecentlyReleasedIsHandedOutFirst) {
  Acquired a = Acquire();
  Acquired b = Acquire();
  ASSERT_NE(a.connection, nullptr);
  ASSERT_NE(b.connection, nullptr);
  UpstreamConnection* const raw_b = b.connection.get();
  pool_.Release(endpoint_, std::move(a.connection));
  pool_.Release(endpoint_, std::move(b.connection));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 2u);
  Acquired again = Acquire();
  EXPECT_EQ(again.connection.get(), raw_b);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
}

TEST_F(ConnectionPoolTest, OldestIdleConnectionIsDroppedPastTheLimit) {
  ConnectionPool::Options options;
  options.max_idle_per_host = 1;
  ConnectionPool small(io_.get_executor(), tls_, options);
  Acquired a = Acquire(small, endpoint_);
  Acquired b = Acquire(small, endpoint_);
  ASSERT_NE(a.connection, nullptr);
  ASSERT_NE(b.connection, nullptr);
  UpstreamConnection* const raw_b = b.connection.get();
  small.Release(endpoint_, std::move(a.connection));
  small.Release(endpoint_, std::move(b.connection));
  EXPECT_EQ(small.IdleCountForTest(endpoint_.pool_key), 1u);
  // The dropped one is closed, and the server sees it go.
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
  EXPECT_EQ(Acquire(small, endpoint_).connection.get(), raw_b);
}

TEST_F(ConnectionPoolTest, ZeroIdleLimitKeepsNothing) {
  ConnectionPool::Options options;
  options.max_idle_per_host = 0;
  ConnectionPool none(io_.get_executor(), tls_, options);
  Acquired a = Acquire(none, endpoint_);
  ASSERT_NE(a.connection, nullptr);
  none.Release(endpoint_, std::move(a.connection));
  EXPECT_EQ(none.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(ConnectionPoolTest, ConnectionIdleTooLongIsNotReused) {
  ConnectionPool::Options options;
  options.max_idle_time = std::chrono::milliseconds(0);
  ConnectionPool strict(io_.get_executor(), tls_, options);
  Acquired first = Acquire(strict, endpoint_);
  ASSERT_NE(first.connection, nullptr);
  strict.Release(endpoint_, std::move(first.connection));
  EXPECT_EQ(strict.IdleCountForTest(endpoint_.pool_key), 1u);
  Acquired second = Acquire(strict, endpoint_);
  ASSERT_NE(second.connection, nullptr);
  EXPECT_FALSE(second.reused);
  EXPECT_EQ(strict.IdleCountForTest(endpoint_.pool_key), 0u);
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
}

TEST_F(ConnectionPoolTest, ConnectionClosedByThePeerIsNotReused) {
  FakeHttpServer& server = other_server_;
  ::switchyard::testing::FakeSignal& close_first = signal_;
  server.AddScript([&](::switchyard::testing::FakeConnection& connection) -> Task<> {
    co_await close_first.Wait();
    connection.Close();
  });
  server.AddScript(FakeHttpServer::HoldOpen());
  const UpstreamEndpoint endpoint = Endpoint(server.Url());

  Acquired first = Acquire(pool_, endpoint);
  ASSERT_NE(first.connection, nullptr);
  UpstreamConnection& idle = *first.connection;
  pool_.Release(endpoint, std::move(first.connection));
  close_first.Notify();  // the server closes connection 1 while it sits in the pool
  RunUntil([&] { return server.HasEvent("server-closed 1"); });
  WaitUntilReadable(idle);  // the FIN has reached the client's socket

  // The pool notices the FIN and connects anew instead of handing out the dead connection.
  Acquired second = Acquire(pool_, endpoint);
  ASSERT_NE(second.connection, nullptr);
  EXPECT_FALSE(second.reused);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint.pool_key), 0u);
  RunUntil([&] { return server.accepted() == 2; });
}

TEST_F(ConnectionPoolTest, ClosedConnectionIsNotTakenBack) {
  Acquired first = Acquire();
  ASSERT_NE(first.connection, nullptr);
  first.connection->Close();
  pool_.Release(endpoint_, std::move(first.connection));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  pool_.Release(endpoint_, nullptr);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(ConnectionPoolTest, ConnectionsArePooledPerHostAndPort) {
  const UpstreamEndpoint other_endpoint = Endpoint(other_server_.Url("/v1"));
  ASSERT_NE(other_endpoint.pool_key, endpoint_.pool_key);

  Acquired a = Acquire(pool_, endpoint_);
  Acquired b = Acquire(pool_, other_endpoint);
  ASSERT_NE(a.connection, nullptr);
  ASSERT_NE(b.connection, nullptr);
  pool_.Release(endpoint_, std::move(a.connection));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
  EXPECT_EQ(pool_.IdleCountForTest(other_endpoint.pool_key), 0u);
  // The other host gets a new connection, not this host's idle one.
  Acquired c = Acquire(pool_, other_endpoint);
  ASSERT_NE(c.connection, nullptr);
  EXPECT_FALSE(c.reused);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
  RunUntil([&] { return other_server_.accepted() == 2; });
  EXPECT_EQ(server_.accepted(), 1);
}

TEST_F(ConnectionPoolTest, ClearClosesIdleConnections) {
  Acquired first = Acquire();
  ASSERT_NE(first.connection, nullptr);
  pool_.Release(endpoint_, std::move(first.connection));
  pool_.Clear();
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
}

TEST_F(ConnectionPoolTest, ConnectionRefused) {
  const ::switchyard::testing::RefusingPort refusing(io_.get_executor());
  const UpstreamEndpoint nowhere = Endpoint(refusing.Url());
  Acquired out = Acquire(pool_, nowhere);
  EXPECT_EQ(out.connection, nullptr);
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->kind, ErrorKind::kUpstreamConnect) << out.error->message;
}

}  // namespace
}  // namespace switchyard::http

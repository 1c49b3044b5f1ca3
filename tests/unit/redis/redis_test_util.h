// Helpers for the Redis client's tests: the server scripts/with-redis.sh starts (its URL in
// SWITCHYARD_TEST_REDIS_URL; tests that need it skip without it), redis-server processes a test
// starts, kills and restarts itself (for AUTH and for outages), and a fake server on loopback that
// answers with fixed bytes or never answers.
#pragma once

// GCC 12 false positive, in this header's coroutines and in the tests' coroutine lambdas (so it is
// set for every file that includes this one): inlining a coroutine frame's allocation, it pairs
// Asio's awaitable_frame_base::operator new with its sized operator delete and calls them
// mismatched.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/asio.h"
#include "redis/redis_url.h"

namespace switchyard::redis::testing_util {

inline std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// A command's arguments. Tests build them with this instead of a braced list inside co_await:
// GCC 12 miscompiles an initializer_list temporary in a coroutine ("array used as initializer").
template <class... Args>
std::vector<std::string> Cmd(Args&&... args) {
  return std::vector<std::string>{std::string(std::forward<Args>(args))...};
}

// The shared server's URL; empty when the tests run without one.
inline std::string RedisTestUrl() { return EnvOrEmpty("SWITCHYARD_TEST_REDIS_URL"); }

inline RedisUrl ParseTestUrl(const std::string& text) {
  Result<RedisUrl> url = RedisUrl::Parse(text);
  EXPECT_TRUE(url.ok()) << url.error().message;
  return url.ok() ? std::move(url).value() : RedisUrl{};
}

// A loopback port nothing listens on (bound, read, released: another process could take it in
// between, which is unlikely enough for a test).
inline std::uint16_t FreeLoopbackPort() {
  net::io_context io;
  net::ip::tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// True once something accepts TCP connections on 127.0.0.1:port (tried for up to 10 s).
inline bool WaitUntilListening(std::uint16_t port) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    net::io_context io;
    net::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A redis-server child on 127.0.0.1:port with no persistence, in its own temp dir. Start() and
// Kill() may be called repeatedly (a restart keeps the port); the destructor kills it.
class RedisServerProcess {
 public:
  explicit RedisServerProcess(std::vector<std::string> extra_args = {})
      : port_(FreeLoopbackPort()), extra_args_(std::move(extra_args)) {
    char dir_template[] = "/tmp/switchyard-redis-test.XXXXXX";
    dir_ = mkdtemp(dir_template) != nullptr ? dir_template : "/tmp";
  }
  ~RedisServerProcess() {
    Kill();
    if (dir_ != "/tmp") std::filesystem::remove_all(dir_);
  }
  RedisServerProcess(const RedisServerProcess&) = delete;
  RedisServerProcess& operator=(const RedisServerProcess&) = delete;

  bool Start() {
    std::vector<std::string> args = {Binary(), "--bind", "127.0.0.1", "--port",
                                     std::to_string(port_), "--save", "", "--appendonly", "no",
                                     "--dir", dir_, "--daemonize", "no", "--logfile",
                                     dir_ + "/server.log"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid_ > 0 && WaitUntilListening(port_);
  }

  // SIGKILL: the server vanishes without closing anything politely, as in a crash.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& userinfo = "") const {
    return "redis://" + userinfo + "127.0.0.1:" + std::to_string(port_);
  }

 private:
  static std::string Binary() {
    const std::string binary = EnvOrEmpty("SWITCHYARD_TEST_REDIS_SERVER");
    return binary.empty() ? "/usr/bin/redis-server" : binary;
  }

  std::uint16_t port_;
  std::vector<std::string> extra_args_;
  std::string dir_;
  pid_t pid_ = -1;
};

// A server on loopback that accepts connections and, after each read, writes `answer` (if not
// empty); an empty answer never answers at all. Runs on `io` until Stop() or the io's end.
class FakeRedisServer {
 public:
  FakeRedisServer(net::io_context& io, std::string answer)
      : acceptor_(std::make_shared<net::ip::tcp::acceptor>(
            io, net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0))),
        answer_(std::move(answer)) {
    net::co_spawn(io, Serve(acceptor_, answer_), net::detached);
  }
  ~FakeRedisServer() { Stop(); }

  void Stop() {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  }
  std::string url() const {
    return "redis://127.0.0.1:" + std::to_string(acceptor_->local_endpoint().port());
  }

 private:
  static Task<void> Serve(std::shared_ptr<net::ip::tcp::acceptor> acceptor, std::string answer) {
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(kUseTuple);
      if (ec) co_return;
      net::co_spawn(acceptor->get_executor(), Answer(std::move(socket), answer), net::detached);
    }
  }
  static Task<void> Answer(net::ip::tcp::socket socket, std::string answer) {
    char buffer[4096];
    for (;;) {
      auto [rec, n] = co_await socket.async_read_some(net::buffer(buffer), kUseTuple);
      if (rec) co_return;
      if (answer.empty()) continue;
      auto [wec, written] = co_await net::async_write(socket, net::buffer(answer), kUseTuple);
      if (wec) co_return;
    }
  }

  std::shared_ptr<net::ip::tcp::acceptor> acceptor_;
  std::string answer_;
};

// Waits `duration` on the current coroutine's executor (between attempts; never an assertion's
// subject).
inline Task<void> Sleep(std::chrono::milliseconds duration) {
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(duration);
  auto [ec] = co_await timer.async_wait(kUseTuple);
  (void)ec;
}

// Lets every handler already queued on the executor run (e.g. coroutines just co_spawn'ed).
inline Task<void> Yield(int times = 3) {
  const net::any_io_executor executor = co_await net::this_coro::executor;
  for (int i = 0; i < times; ++i) co_await net::post(executor, net::use_awaitable);
}

}  // namespace switchyard::redis::testing_util

// Skips the test when no Redis server was started for it.
#define SKIP_WITHOUT_REDIS()                                                                 \
  do {                                                                                       \
    if (::switchyard::redis::testing_util::RedisTestUrl().empty()) {                         \
      GTEST_SKIP() << "SWITCHYARD_TEST_REDIS_URL is unset: run under scripts/with-redis.sh"; \
    }                                                                                        \
  } while (false)

// A simulated model's wait ends as soon as the gateway closes the connection (a cancelled racer
// stops at once), and otherwise lasts its delay. The connection is a fake that logs the watch and
// closes when the test says; the io_context is only polled, so nothing here waits on a clock: a
// wait that a close did not cut short would still be pending after the poll (its delay is an hour).
#include "demo/wait_unless_closed.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::demo {
namespace {

using std::chrono::milliseconds;

class FakeConnection : public http::Downstream {
 public:
  Task<bool> Respond(int, http::HeaderList, std::string) override { co_return !gone_; }
  Task<bool> BeginStream(int, http::HeaderList) override { co_return !gone_; }
  Task<bool> WriteChunk(std::span<const std::string_view>) override { co_return !gone_; }
  Task<bool> EndStream(std::span<const std::string_view>) override { co_return !gone_; }
  bool committed() const override { return false; }
  void StartWatching(std::function<void()> on_gone) override {
    events.push_back("watch");
    on_gone_ = std::move(on_gone);
  }
  Task<> StopWatching() override {
    events.push_back("stop watching");
    on_gone_ = nullptr;
    co_return;
  }
  bool client_gone() const override { return gone_; }

  // The peer closes: as ClientConnection does, the watch's callback runs if a watch is on.
  void Close() {
    gone_ = true;
    if (on_gone_) std::exchange(on_gone_, nullptr)();
  }
  void AlreadyClosed() { gone_ = true; }

  std::vector<std::string> events;

 private:
  bool gone_ = false;
  std::function<void()> on_gone_;
};

class WaitUnlessClosedTest : public ::testing::Test {
 protected:
  void SpawnWait(milliseconds delay) {
    net::co_spawn(
        io_,
        [this, delay]() -> Task<> {
          waited_ = co_await WaitUnlessClosed(connection_, timer_, delay);
        },
        net::detached);
  }
  // Runs what is ready now; never blocks.
  void RunReady() {
    io_.restart();
    io_.poll();
  }

  net::io_context io_;
  net::steady_timer timer_{io_};
  FakeConnection connection_;
  std::optional<bool> waited_;
};

TEST_F(WaitUnlessClosedTest, AClosedConnectionEndsTheWaitAtOnce) {
  SpawnWait(std::chrono::hours(1));
  RunReady();
  EXPECT_FALSE(waited_.has_value()) << "waiting its hour";
  EXPECT_EQ(connection_.events, std::vector<std::string>{"watch"});

  connection_.Close();
  RunReady();
  ASSERT_TRUE(waited_.has_value()) << "the close did not end the wait";
  EXPECT_FALSE(*waited_);
  EXPECT_EQ(connection_.events, (std::vector<std::string>{"watch", "stop watching"}));
}

TEST_F(WaitUnlessClosedTest, AConnectionClosedBeforeTheWaitIsNotWaitedOn) {
  connection_.AlreadyClosed();
  SpawnWait(std::chrono::hours(1));
  RunReady();
  ASSERT_TRUE(waited_.has_value());
  EXPECT_FALSE(*waited_);
  EXPECT_TRUE(connection_.events.empty());
}

TEST_F(WaitUnlessClosedTest, AnOpenConnectionWaitsTheDelayAndStopsWatching) {
  SpawnWait(milliseconds(0));
  // An expired timer completes on a poll; a few turns let the coroutine resume and finish.
  for (int turn = 0; turn < 10 && !waited_; ++turn) RunReady();
  ASSERT_TRUE(waited_.has_value());
  EXPECT_TRUE(*waited_);
  EXPECT_EQ(connection_.events, (std::vector<std::string>{"watch", "stop watching"}));
}

}  // namespace
}  // namespace switchyard::demo

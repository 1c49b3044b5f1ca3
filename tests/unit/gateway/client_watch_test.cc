// ClientWatch: one watch on the client for all of a call's attempts in flight (a race), a
// departure cancelling every attempt still joined, and the watch stopped once, by the call.
#include "gateway/client_watch.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

namespace switchyard::gateway {
namespace {

using Events = std::vector<std::string>;

// A client whose departure the test decides; it writes down every watch call.
class WatchedClient final : public http::Downstream {
 public:
  explicit WatchedClient(Events& events) : events_(events) {}

  Task<bool> Respond(int, http::HeaderList, std::string) override { co_return true; }
  Task<bool> BeginStream(int, http::HeaderList) override { co_return true; }
  Task<bool> WriteChunk(std::span<const std::string_view>) override { co_return true; }
  Task<bool> EndStream(std::span<const std::string_view>) override { co_return true; }
  bool committed() const override { return false; }
  void StartWatching(std::function<void()> on_gone) override {
    events_.push_back("start watching");
    on_gone_ = std::move(on_gone);
  }
  Task<> StopWatching() override {
    events_.push_back("stop watching");
    on_gone_ = nullptr;
    co_return;
  }
  bool client_gone() const override { return gone_; }

  void Leave() {
    gone_ = true;
    if (on_gone_) std::exchange(on_gone_, nullptr)();
  }

 private:
  Events& events_;
  std::function<void()> on_gone_;
  bool gone_ = false;
};

void RunToEnd(Task<> task) {
  net::io_context io;
  net::co_spawn(io, std::move(task), net::detached);
  io.run();
}

TEST(ClientWatchTest, OneWatchForEveryAttemptAndADepartureCancelsAllStillJoined) {
  Events events;
  WatchedClient client(events);
  ClientWatch watch(client);
  watch.Join(1, [&] { events.push_back("cancel #1"); });
  watch.Join(2, [&] { events.push_back("cancel #2"); });
  watch.Join(3, [&] { events.push_back("cancel #3"); });
  watch.Leave(2);  // ended: a departure no longer concerns it
  client.Leave();
  RunToEnd(watch.Stop());
  EXPECT_EQ(events, (Events{"start watching", "cancel #1", "cancel #3", "stop watching"}));
}

TEST(ClientWatchTest, TheLastAttemptLeavingDoesNotStopTheWatchOnlyTheCallDoes) {
  Events events;
  WatchedClient client(events);
  ClientWatch watch(client);
  watch.Join(1, [&] { events.push_back("cancel #1"); });
  watch.Leave(1);
  // A second attempt (a retry, or a racer's successor) joins the same watch.
  watch.Join(2, [&] { events.push_back("cancel #2"); });
  watch.Leave(2);
  client.Leave();  // between attempts: nobody to cancel, the call sees client_gone()
  RunToEnd(watch.Stop());
  RunToEnd(watch.Stop());  // once only
  EXPECT_EQ(events, (Events{"start watching", "stop watching"}));
  EXPECT_TRUE(client.client_gone());
}

TEST(ClientWatchTest, ACallWhoseAttemptsNeverWaitedNeverWatches) {
  Events events;
  WatchedClient client(events);
  ClientWatch watch(client);
  RunToEnd(watch.Stop());
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace switchyard::gateway

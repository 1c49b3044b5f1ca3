// Fakes for testing the router hermetically, as Envoy tests its router filter: a clock whose
// sleeps only move its own time, and an attempt runner that plays a script per target and writes
// down every event in the order it happened. No network, no wall-clock time, no unseeded chance.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "routing/commit_point.h"
#include "routing/router.h"
#include "routing/strategy.h"

namespace switchyard::routing::testing_util {

using std::chrono::milliseconds;

// Time starts at an arbitrary fixed point and moves only when someone sleeps or an attempt takes
// time (FakeAttemptRunner advances it).
class FakeClock final : public RouterClock {
 public:
  SteadyTime Now() const override { return now_; }
  Task<> Sleep(milliseconds wait) override {
    sleeps.push_back(wait);
    now_ += wait;
    co_return;
  }
  void Advance(milliseconds by) { now_ += by; }
  milliseconds Elapsed() const {
    return std::chrono::duration_cast<milliseconds>(now_ - kStart);
  }

  static constexpr SteadyTime kStart{std::chrono::hours(1000)};
  std::vector<milliseconds> sleeps;

 private:
  SteadyTime now_ = kStart;
};

// How one scripted attempt goes.
struct Play {
  AttemptReport report;           // what it reports (answered unless `error` is set)
  milliseconds takes{10};         // how long it runs, on the fake clock
  bool client_leaves = false;     // the client is gone once it has ended
  bool waits_to_be_cancelled = false;  // runs until another attempt claims the call (a race)

  static Play Answer(milliseconds takes = milliseconds(10)) {
    Play play;
    play.report.answered = true;
    play.report.committed = true;
    play.takes = takes;
    return play;
  }
  // A failure before the commit point: `status` 0 is a connection failure or timeout.
  static Play Fail(int status, FailureClass failure = FailureClass::kRetryable,
                   ErrorKind kind = ErrorKind::kUpstreamStatus) {
    Play play;
    play.report.error = kind;
    play.report.failure = failure;
    play.report.http_status = status;
    return play;
  }
  Play& Wait(std::optional<milliseconds> wait) {
    report.provider_wait = {true, wait};
    return *this;
  }
  Play& Takes(milliseconds duration) {
    takes = duration;
    return *this;
  }
};

class FakeAttemptRunner final : public AttemptRunner {
 public:
  explicit FakeAttemptRunner(FakeClock& clock) : clock_(clock) {}

  // The next attempts at `key` ("provider/model") play these, in order; an unscripted attempt
  // answers.
  void Script(const std::string& key, std::vector<Play> plays) {
    for (Play& play : plays) scripts_[key].push_back(std::move(play));
  }
  // Attempts at `key` are answered by the gateway itself (a token estimate).
  void AnswersLocally(const std::string& key) { local_.insert(key); }

  Task<AttemptReport> Run(const AttemptOrder& order) override {
    const std::string key = TargetKey(*order.target);
    events.push_back(fmt::format("start #{} {} {}{}", order.n, Kind(order.kind), key,
                                 order.time_left
                                     ? fmt::format(" left={}ms", order.time_left->count())
                                     : ""));
    Play play = Next(key);
    if (play.waits_to_be_cancelled) {
      AttemptReport cancelled = co_await RunUntilCancelled(order);
      co_return cancelled;
    }
    clock_.Advance(play.takes);
    AttemptReport report = play.report;
    report.latency = play.takes;
    // Like a real attempt, an answer asks the commit point before its first byte.
    if (report.committed && !order.commit->Claim(order.n)) {
      events.push_back(fmt::format("refused #{}", order.n));
      co_return Cancelled();
    }
    if (play.client_leaves) client_gone_ = true;
    events.push_back(fmt::format("end #{} {}", order.n, Outcome(report)));
    co_return report;
  }

  bool ReachesProvider(const PlannedTarget& target) const override {
    return !local_.contains(TargetKey(target));
  }
  bool client_gone() const override { return client_gone_; }

  std::vector<std::string> events;

 private:
  Play Next(const std::string& key) {
    auto found = scripts_.find(key);
    if (found == scripts_.end() || found->second.empty()) return Play::Answer();
    Play play = std::move(found->second.front());
    found->second.pop_front();
    return play;
  }

  // Enters the commit point with a cancel that wakes it, as an attempt in flight does, and waits.
  Task<AttemptReport> RunUntilCancelled(const AttemptOrder& order) {
    net::steady_timer gate(co_await net::this_coro::executor,
                           net::steady_timer::time_point::max());
    order.commit->Enter(order.n, [&gate] { gate.cancel(); });
    co_await gate.async_wait(kUseTuple);
    order.commit->Leave(order.n);
    events.push_back(fmt::format("cancelled #{}", order.n));
    co_return Cancelled();
  }

  static AttemptReport Cancelled() {
    AttemptReport report;
    report.error = ErrorKind::kCancelled;
    report.failure = FailureClass::kFatal;
    return report;
  }

  static const char* Kind(AttemptKind kind) {
    switch (kind) {
      case AttemptKind::kPrimary: return "primary";
      case AttemptKind::kRetry: return "retry";
      case AttemptKind::kFallback: return "fallback";
    }
    return "?";
  }

  static std::string Outcome(const AttemptReport& report) {
    if (!report.error) return "answered";
    return report.http_status > 0 ? fmt::format("failed {}", report.http_status) : "failed";
  }

  FakeClock& clock_;
  std::map<std::string, std::deque<Play>> scripts_;
  std::set<std::string> local_;
  bool client_gone_ = false;
};

// Runs `task` to its end on an io_context of its own; rethrows what it threw.
template <class T>
T RunToEnd(Task<T> task) {
  net::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  net::co_spawn(io, std::move(task), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) out = std::move(value);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace switchyard::routing::testing_util

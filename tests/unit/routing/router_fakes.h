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
#include <stdexcept>
#include <string>
#include <vector>

#include "routing/commit_point.h"
#include "routing/router.h"
#include "routing/strategy.h"

namespace switchyard::routing::testing_util {

using std::chrono::milliseconds;

class FakeClock;

// An alarm on a FakeClock: a wait parks on a gate timer that never expires by itself; the clock
// opens it when virtual time reaches the wait's deadline, and Ring opens it early.
class FakeAlarm final : public Alarm {
 public:
  FakeAlarm(FakeClock& clock, const net::any_io_executor& executor, bool records)
      : clock_(clock), gate_(executor, net::steady_timer::time_point::max()), records_(records) {}
  ~FakeAlarm() override;

  Task<> WaitUntil(SteadyTime deadline) override;
  void Ring() override {
    if (waiting_) {
      gate_.cancel();
    } else {
      rung_ = true;
    }
  }
  SteadyTime deadline() const { return deadline_; }

 private:
  FakeClock& clock_;
  net::steady_timer gate_;
  const bool records_;
  SteadyTime deadline_{};
  bool waiting_ = false;
  bool rung_ = false;
};

// Virtual time: it starts at an arbitrary fixed point and moves only when RunToEnd finds nothing
// left to run but alarms, to the earliest alarm's deadline. Every finite wait of the router's own
// alarms (a retry's backoff, a hedge's delay) is written down in `sleeps`.
class FakeClock final : public RouterClock {
 public:
  SteadyTime Now() const override { return now_; }
  std::unique_ptr<Alarm> NewAlarm(const net::any_io_executor& executor) override {
    return std::make_unique<FakeAlarm>(*this, executor, true);
  }
  // An alarm whose waits are not written down (the fake attempts' own time).
  std::unique_ptr<Alarm> NewQuietAlarm(const net::any_io_executor& executor) {
    return std::make_unique<FakeAlarm>(*this, executor, false);
  }
  void Advance(milliseconds by) { now_ += by; }
  milliseconds Elapsed() const {
    return std::chrono::duration_cast<milliseconds>(now_ - kStart);
  }

  // Moves time to the earliest finite deadline of a waiting alarm and opens every alarm due by
  // then. False when no alarm waits for a time.
  bool AdvanceToNextAlarm() {
    std::optional<SteadyTime> next;
    for (FakeAlarm* alarm : waiting_) {
      if (alarm->deadline() != SteadyTime::max() && (!next || alarm->deadline() < *next)) {
        next = alarm->deadline();
      }
    }
    if (!next) return false;
    now_ = std::max(now_, *next);
    const std::vector<FakeAlarm*> due(waiting_.begin(), waiting_.end());
    for (FakeAlarm* alarm : due) {
      if (alarm->deadline() <= now_) alarm->Ring();
    }
    return true;
  }

  static constexpr SteadyTime kStart{std::chrono::hours(1000)};
  std::vector<milliseconds> sleeps;

 private:
  friend class FakeAlarm;
  SteadyTime now_ = kStart;
  std::vector<FakeAlarm*> waiting_;  // in the order they began to wait
};

inline FakeAlarm::~FakeAlarm() { std::erase(clock_.waiting_, this); }

inline Task<> FakeAlarm::WaitUntil(SteadyTime deadline) {
  if (rung_) {
    rung_ = false;
    co_return;
  }
  if (deadline <= clock_.Now()) co_return;
  if (records_ && deadline != SteadyTime::max()) {
    clock_.sleeps.push_back(std::chrono::duration_cast<milliseconds>(deadline - clock_.Now()));
  }
  deadline_ = deadline;
  waiting_ = true;
  clock_.waiting_.push_back(this);
  gate_.expires_at(net::steady_timer::time_point::max());
  co_await gate_.async_wait(kUseTuple);
  waiting_ = false;
  rung_ = false;
  std::erase(clock_.waiting_, this);
}

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
    events.push_back(fmt::format("start #{} {} {}{}{}", order.n, Kind(order.kind), key,
                                 order.time_left
                                     ? fmt::format(" left={}ms", order.time_left->count())
                                     : "",
                                 log_times ? fmt::format(" at={}ms", clock_.Elapsed().count())
                                           : ""));
    Play play = Next(key);
    // In flight for `takes` of virtual time, unless another attempt claims the call first.
    const std::unique_ptr<Alarm> alarm = clock_.NewQuietAlarm(co_await net::this_coro::executor);
    bool cancelled = false;
    Alarm* const wake = alarm.get();
    order.commit->Enter(order.n, [&cancelled, wake] {
      cancelled = true;
      wake->Ring();
    });
    const SteadyTime end =
        play.waits_to_be_cancelled ? SteadyTime::max() : clock_.Now() + play.takes;
    co_await alarm->WaitUntil(end);
    order.commit->Leave(order.n);
    if (cancelled) {
      events.push_back(fmt::format("cancelled #{}", order.n));
      co_return Cancelled();
    }
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
  bool log_times = false;  // starts say when, in virtual ms since the clock's start

 private:
  Play Next(const std::string& key) {
    auto found = scripts_.find(key);
    if (found == scripts_.end() || found->second.empty()) return Play::Answer();
    Play play = std::move(found->second.front());
    found->second.pop_front();
    return play;
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
      case AttemptKind::kRace: return "race";
      case AttemptKind::kHedge: return "hedge";
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

// Runs `task` to its end on an io_context of its own, moving `clock`'s virtual time whenever
// nothing is left to run but waits for it; rethrows what the task threw.
template <class T>
T RunToEnd(Task<T> task, FakeClock& clock) {
  net::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  bool done = false;
  net::co_spawn(io, std::move(task), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) out = std::move(value);
    done = true;
  });
  for (;;) {
    io.poll();
    if (done) break;
    io.restart();
    if (!clock.AdvanceToNextAlarm()) throw std::logic_error("stuck: every coroutine waits forever");
  }
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace switchyard::routing::testing_util

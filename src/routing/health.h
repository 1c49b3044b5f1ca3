// HealthRegistry: the health of each target ("provider/model") as routing sees it — a circuit
// breaker per target and a 429 cool-down. Strategies read it (Available) to move unhealthy steps to
// the end of their order; the router feeds it the outcome of every attempt (attempt_feedback.h).
//
// Circuit breaker, per target:
//   closed    → open       after `consecutive_failures` counted failures in a row, or when at least
//                          `min_calls` calls of the current window (a tumbling window of `window`)
//                          failed at `error_rate_percent` or more;
//   open      → half-open  once `cool_off` has passed since it opened;
//   half-open → closed     on a success;  half-open → open (for another cool_off) on a failure.
// While half-open, exactly one probe is let through: Available() is true until an attempt on the
// target begins (BeginAttempt claims the probe), and false from then until an outcome is recorded
// (or `probe_timeout` passes, in case the outcome is never reported).
// A 429 cool-down (CoolDown) makes a target unavailable until the given time, independently of the
// breaker; a 429 itself does not count towards the breaker.
//
// Only target faults count as failures (FailureKind::kFault: connection failures, timeouts, 5xx,
// 529, malformed answers). Answers about the request or the caller's key (400, 401, 403, 404, ...),
// a 429 and cancellations are neutral: they neither trip nor close the breaker, though they settle
// a half-open probe so that the next call can probe again.
//
// Time is passed in by the caller (`now`, the steady clock's reading), so tests drive it directly.
// Thread-safety: every method is safe to call from any thread. One mutex guards the whole map: it is
// taken a few times per attempt (never across I/O), far from the hot path's cost. (DESIGN.md asks
// for atomics on the hot path; the map of per-target state is a mutex's job, and this is cheap next
// to an upstream call.)
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/error.h"

namespace switchyard::routing {

using SteadyTime = std::chrono::steady_clock::time_point;

struct HealthOptions {
  int consecutive_failures = 5;                // trips after this many counted failures in a row
  int error_rate_percent = 50;                 // ... or this failure rate in the window
  int min_calls = 20;                          // ... over at least this many calls
  std::chrono::milliseconds window{60'000};    // the error-rate window (tumbling)
  std::chrono::milliseconds cool_off{30'000};  // open → half-open
  std::chrono::milliseconds probe_timeout{600'000};  // a probe with no outcome frees its slot
  std::size_t max_targets = 4096;  // bound on tracked targets (clients can name any model)
};

enum class FailureKind {
  kFault,        // the target failed: connection, timeout, 5xx, 529, malformed answer. Counts.
  kRateLimited,  // 429: neutral for the breaker; call CoolDown with the reset time as well
  kRejected,     // 4xx about this request or key (400, 401, 403, 404, 413, ...): neutral
  kCancelled,    // the client left, or the attempt was abandoned (race, hedge): neutral
};

// How an attempt's error counts: `kind` is the Error's kind, `upstream_status` the provider's HTTP
// status (0 when there was no answer).
FailureKind FailureKindOf(ErrorKind kind, int upstream_status);

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// What the registry holds about one target, for tests, logs and the admin API.
struct TargetHealth {
  BreakerState state = BreakerState::kClosed;
  int consecutive_failures = 0;
  int window_calls = 0;
  int window_failures = 0;
  bool probe_in_flight = false;
  SteadyTime open_until{};  // when an open breaker goes half-open
  SteadyTime cool_until{};  // the end of a 429 cool-down; in the past when none
};

class HealthRegistry {
 public:
  explicit HealthRegistry(HealthOptions options = {});
  HealthRegistry(const HealthRegistry&) = delete;
  HealthRegistry& operator=(const HealthRegistry&) = delete;

  // Whether routing should try `key` now rather than after the healthy targets: false while
  // cooling down, while open, and while half-open with the probe taken. Unknown keys are healthy.
  bool Available(std::string_view key, SteadyTime now) const;

  // Call right before each attempt on `key`. When the breaker is half-open and its probe is free,
  // this attempt becomes the probe (and the target stops being Available to other calls).
  void BeginAttempt(std::string_view key, SteadyTime now);

  // Call after each attempt with its outcome. A success closes a half-open breaker and resets the
  // failure run; a kFault failure may open it (or re-open a half-open one). Other kinds are neutral.
  void RecordSuccess(std::string_view key, SteadyTime now);
  void RecordFailure(std::string_view key, SteadyTime now, FailureKind kind);

  // Makes `key` unavailable until `until` (a 429's retry-after or rate-limit reset, converted to a
  // steady time by the caller). A later call can only extend a cool-down, never shorten it.
  void CoolDown(std::string_view key, SteadyTime until);

  // The state of `key` at `now`; a default (closed) TargetHealth for unknown keys.
  TargetHealth Inspect(std::string_view key, SteadyTime now) const;

 private:
  struct Entry {
    bool open = false;  // half-open is "open and now >= open_until"
    int consecutive_failures = 0;
    SteadyTime window_start{};
    int window_calls = 0;
    int window_failures = 0;
    SteadyTime open_until{};
    bool probe_in_flight = false;
    SteadyTime probe_started{};
    SteadyTime cool_until{};
    SteadyTime last_touched{};
  };
  using Map = std::map<std::string, Entry, std::less<>>;

  bool ProbeFree(const Entry& entry, SteadyTime now) const;
  void CountCall(Entry& entry, SteadyTime now, bool failed) const;
  void Open(Entry& entry, SteadyTime now) const;
  // The entry for `key`, created if there is room; nullptr when the map is full of state that
  // matters (the target is then simply not tracked: it stays available).
  Entry* FindOrAdd(std::string_view key, SteadyTime now);
  const Entry* Find(std::string_view key) const;

  const HealthOptions options_;
  mutable std::mutex mutex_;
  Map entries_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::routing

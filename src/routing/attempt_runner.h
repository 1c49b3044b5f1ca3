// AttemptRunner: the one thing the router (routing/router.h) asks of the gateway — run one attempt
// at one target and say how it went. The gateway's runner (gateway/call_attempts.h) knows HTTP, the
// client's and the provider's wire formats, the call's operation and the ledger; the router knows
// none of them. It decides which target is tried, when, how often, and whether the call is
// settled; an attempt reports only what that decision needs (AttemptReport).
//
// Every attempt asks the call's CommitPoint before its first byte reaches the client; once an
// attempt holds it, the call is answered by that attempt alone.
#pragma once

#include <chrono>
#include <optional>

#include "config/config.h"
#include "core/asio.h"
#include "core/error.h"
#include "routing/model_resolver.h"

namespace switchyard::routing {

class CommitPoint;

// Why the router runs an attempt: the call's first, the same target again, another target after
// a failure, one of several started together (a race), or one started because those in flight
// were slow (a hedge).
enum class AttemptKind { kPrimary, kRetry, kFallback, kRace, kHedge };

// What a failed attempt leaves worth trying.
enum class FailureClass {
  kRetryable,  // the same target may succeed later (a timeout, a 5xx, a 429)
  kFallBack,   // this target will not succeed, another may (a refused key, an unknown model)
  kFatal,      // no target will: the request itself is wrong, or the attempt was cancelled
};

// One attempt as the router orders it.
struct AttemptOrder {
  const PlannedTarget* target = nullptr;
  int n = 1;  // 1-based, in the order the call's attempts start
  AttemptKind kind = AttemptKind::kPrimary;
  // The time left before the call's deadline (the route's `retry.deadline_ms`), which caps the
  // attempt's own total deadline; nullopt when the call has none. `deadline` is that deadline as
  // configured, for the message of an attempt it cuts short (DeadlineError).
  std::optional<std::chrono::milliseconds> time_left;
  config::Millis deadline{0};
  CommitPoint* commit = nullptr;  // asked before the attempt's first byte reaches the client
  // The innermost race or hedge the attempt runs in (its `accept` judges the answer, and the
  // attempt may have rivals in flight); null in a sequential plan.
  const Plan* race = nullptr;
};

// The wait a provider asked for (its retry-after, or on a 429 the reset of the rate limit it
// exhausted), as the runner read it from the provider's answer.
struct ProviderWait {
  bool asked = false;  // the provider asked for one
  std::optional<std::chrono::milliseconds> wait;  // nullopt when asked in a form that cannot be read
};

// What the router learns from one attempt.
struct AttemptReport {
  bool answered = false;   // the client got this attempt's answer (no error)
  bool committed = false;  // bytes of this attempt reached the client: the call is decided
  std::optional<ErrorKind> error;  // why it failed; nullopt when answered
  FailureClass failure = FailureClass::kFatal;  // what a failure leaves worth trying
  bool context_length = false;     // the provider said the prompt does not fit the model's window
  int http_status = 0;             // the provider's status; 0 when none arrived
  ProviderWait provider_wait;
  std::chrono::milliseconds latency{0};         // the attempt's total
  std::optional<std::chrono::milliseconds> ttft;  // time to first token, for streams
};

class AttemptRunner {
 public:
  virtual ~AttemptRunner() = default;

  // Runs one attempt to its end (answered, failed, cancelled). Never throws.
  virtual Task<AttemptReport> Run(const AttemptOrder& order) = 0;

  // Whether an attempt at `target` reaches the provider; false when the gateway answers it itself
  // (a token estimate), which says nothing of the target's health or speed and takes no
  // half-open breaker's probe.
  virtual bool ReachesProvider(const PlannedTarget& target) const = 0;

  // The client has gone away: no further attempt is worth starting.
  virtual bool client_gone() const = 0;
};

// The error for a call whose deadline (`deadline` as configured) passed before an answer.
Error DeadlineError(config::Millis deadline);

}  // namespace switchyard::routing

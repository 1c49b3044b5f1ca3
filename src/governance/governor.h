// Governor: the governance's one door on the request path (CONTRACT.md "Governance"). For each
// call it authenticates the key (401: missing, unknown, revoked, expired), then admits the call —
// the key's allowed models (403), its own and its team's rate limits (429 with retry-after and the
// gateway's x-ratelimit-* headers), and the budgets of its key, team, tags and the whole gateway
// (hard: 402 before any upstream call; soft: an alert) — and after the call settles it: the
// reservation becomes the real cost, and the output tokens count against the token limits.
//
// A call reserves its worst case (routing::WorstCaseOfCall) before its first attempt, so concurrent
// calls can pass a hard budget by at most one call's real cost beyond its reservation. The
// counters live in a CounterStore (memory, or Redis when several gateways share them).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "config/config.h"
#include "core/asio.h"
#include "core/error.h"
#include "governance/counter_store.h"
#include "governance/key_registry.h"
#include "http/server/http_response.h"
#include "canonical/usage.h"
#include "ledger/call_record.h"

namespace switchyard::governance {

// What admission needs to know of a call, found before its first attempt.
struct CallAsk {
  std::string requested;             // the model or route as the call named it
  std::int64_t input_tokens = 0;     // the gateway's prompt estimate
  std::optional<std::int64_t> worst_nanos;  // empty: some target has no price
  bool free = false;                 // every target is priced at 0
};

// An admitted call: what it reserved and took, to settle when it ends. Move-only; settled once
// (Governor::Settle); a call that ends without settling (its coroutine destroyed) has its
// reservation released by the destructor, so a budget never stays held by a call that is gone.
class Admission {
 public:
  Admission() = default;
  Admission(Admission&&) noexcept;
  Admission& operator=(Admission&&) noexcept;
  ~Admission();

  const std::shared_ptr<const KeyRecord>& key() const { return key_; }
  // x-ratelimit-* for the answer (the most restrictive limit of each kind).
  const http::HeaderList& rate_headers() const { return rate_headers_; }
  // The soft budgets this call passed, for the ledger ("key:ID month, global day"); empty: none.
  const std::string& budget_alert() const { return budget_alert_; }
  // Whether settling changes what the key's next call is admitted against: a budget reservation
  // to replace by the actual cost, or token limits to charge with the tokens the call used.
  bool settling_counts() const {
    return counters_ != nullptr && (!reservation_.scopes.empty() || !token_limits_.empty());
  }

 private:
  friend class Governor;
  void Release();

  std::shared_ptr<const KeyRecord> key_;
  CounterStore* counters_ = nullptr;  // null: nothing to settle
  std::vector<std::string> spend_scopes_;
  Reservation reservation_;  // nanos 0: nothing held
  std::int64_t input_estimate_ = 0;
  std::vector<RateLimit> token_limits_;  // input and output token limits, for the settlement
  http::HeaderList rate_headers_;
  std::string budget_alert_;
  TimePoint started_;
};

// A refused call: the error in the client's terms and the headers that go with it (retry-after,
// x-ratelimit-*, x-should-retry).
struct Refusal {
  Error error;
  http::HeaderList headers;
  std::string reason;  // budget | rate_limit | model (for the metrics); empty: the state is down
};

class Governor {
 public:
  using Clock = std::function<TimePoint()>;

  Governor(const config::Config& config, KeyRegistry& keys, CounterStore& counters,
           Clock clock = [] { return std::chrono::system_clock::now(); });

  // The key presented (empty when none). With no key configured anywhere, every call is
  // "anonymous" (the listener is then loopback-only).
  Result<std::shared_ptr<const KeyRecord>> Authenticate(std::string_view presented) const;

  // Whether the key may reach what the call asks for (`requested`, or every one of `targets`):
  // checked as soon as the plan is known, before anything else about the call — a 403.
  std::optional<Refusal> CheckModels(const KeyRecord& key, std::string_view requested,
                                     std::span<const std::string> targets) const;

  // Admits the call (its rate limits, then its budgets) or says why not. The key is
  // Authenticate's, its models already checked.
  Task<std::variant<Admission, Refusal>> Admit(std::shared_ptr<const KeyRecord> key, CallAsk ask);

  // The gateway's own rate limits of a model (`governance.limits` "model:provider/model"), taken
  // when an attempt is about to go to `target` ("provider/model"): a refusal means the attempt is
  // not sent (the router moves on, as after a provider's 429). `input_tokens` is the estimate.
  Task<std::optional<Refusal>> TakeModelLimits(std::string_view target, std::int64_t input_tokens);
  // After an attempt at `target`: its output tokens, and its input beyond the estimate, count
  // against the model's token limits.
  Task<> CountModelTokens(std::string_view target, std::int64_t input_estimate,
                          const canonical::Usage& usage);
  bool has_model_limits() const { return has_model_limits_; }
  // Whether any budget could apply to this key's calls: only then is the worst case worth pricing.
  bool MayReserve(const KeyRecord& key) const {
    return key.policy.budget.has_value() || keys_.any_scoped_budget();
  }

  // Settles an admitted call from its record (every attempt's cost and tokens).
  Task<> Settle(Admission& admission, const ledger::CallRecord& record);

  // This period's spend of a key's own budget scope (GET /admin/keys/{id}).
  Task<Result<std::int64_t>> SpentByKey(const KeyRecord& key);
  Task<Result<std::int64_t>> SpentByScope(const config::ScopedBudget& budget);

  // At start: the spend already in the ledger, per key, team, tag and globally, so that a
  // restart resets no budget.
  Status RebuildSpend();

  KeyRegistry& keys() { return keys_; }

  // Prometheus lines: whether the counter store is reachable, and the calls that met it
  // unreachable, by what they got (admitted: fail open; refused: fail closed).
  std::string RenderMetrics() const;

 private:
  // The two halves of Admit; each fills `admission` or says why the call is refused.
  Task<std::optional<Refusal>> TakeRates(const CallAsk& ask, Admission& admission);
  Task<std::optional<Refusal>> ReserveBudgets(const CallAsk& ask, Admission& admission);
  std::vector<RateUse> RateUsesOf(const KeyRecord& key, const CallAsk& ask) const;
  std::vector<BudgetCheck> BudgetChecksOf(const KeyRecord& key, const KeySnapshot& snapshot,
                                          TimePoint now) const;
  std::int64_t ActualCost(const ledger::CallRecord& record, std::int64_t reserved) const;

  const config::Config& config_;
  KeyRegistry& keys_;
  CounterStore& counters_;
  Clock clock_;
  std::optional<Refusal> StateDown(const Error& error, bool open, std::string_view what) const;
  const config::RateLimits* ModelLimits(std::string_view target) const;
  bool has_model_limits_ = false;
  mutable std::atomic<bool> state_down_{false};
  mutable std::atomic<std::uint64_t> state_down_open_{0};
  mutable std::atomic<std::uint64_t> state_down_closed_{0};
};

// The spend scopes of a key's calls: its own ("key:ID"), its team's, each of its tags', "global".
std::vector<std::string> SpendScopesOf(const KeyRecord& key);

}  // namespace switchyard::governance

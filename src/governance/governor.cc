#include "governance/governor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <random>

#include "governance/key_secret.h"
#include "governance/model_allowlist.h"
#include "pricing/money.h"

namespace switchyard::governance {
namespace {

const std::shared_ptr<const KeyRecord>& Anonymous() {
  static const auto anonymous = [] {
    auto record = std::make_shared<KeyRecord>();
    record->name = "anonymous";
    return std::shared_ptr<const KeyRecord>(std::move(record));
  }();
  return anonymous;
}

// "6m0s", "1.5s", "20ms": the duration form OpenAI's own x-ratelimit-reset-* headers use.
std::string ResetText(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{}ms", std::max<std::int64_t>(ms, 0));
  if (ms < 60'000) return fmt::format("{}s", static_cast<double>(ms) / 1000.0);
  return fmt::format("{}m{}s", ms / 60'000, (ms % 60'000) / 1000);
}

// One x-ratelimit-* triple per kind, from the limit with the least remaining.
http::HeaderList RateHeaders(const std::vector<RateState>& states) {
  http::HeaderList headers;
  for (RateKind kind : {RateKind::kRequests, RateKind::kInputTokens, RateKind::kOutputTokens}) {
    const RateState* tightest = nullptr;
    for (const RateState& state : states) {
      if (state.limit.kind != kind) continue;
      if (tightest == nullptr || state.remaining < tightest->remaining) tightest = &state;
    }
    if (tightest == nullptr) continue;
    const std::string_view name = ToString(kind);
    headers.emplace_back(fmt::format("x-ratelimit-limit-{}", name),
                         std::to_string(tightest->limit.per_minute));
    headers.emplace_back(fmt::format("x-ratelimit-remaining-{}", name),
                         std::to_string(tightest->remaining));
    headers.emplace_back(fmt::format("x-ratelimit-reset-{}", name), ResetText(tightest->reset_ms));
  }
  return headers;
}

void AddLimits(const std::string& scope, const config::RateLimits& limits, bool estimate_known,
               std::int64_t input_tokens, std::vector<RateUse>* uses) {
  if (limits.rpm) uses->push_back({{scope, RateKind::kRequests, *limits.rpm}, 1});
  if (limits.input_tpm && estimate_known) {
    uses->push_back({{scope, RateKind::kInputTokens, *limits.input_tpm}, input_tokens});
  }
  // Output is counted after the call; before it, only that the limit is not used up.
  if (limits.output_tpm) uses->push_back({{scope, RateKind::kOutputTokens, *limits.output_tpm}, 0});
}

std::string LimitName(const RateLimit& limit) {
  const std::string_view what = limit.kind == RateKind::kRequests      ? "requests"
                                : limit.kind == RateKind::kInputTokens ? "input tokens"
                                                                       : "output tokens";
  return fmt::format("{} {} per minute of {}", limit.per_minute, what, limit.scope);
}

Refusal RateRefusal(const RateVerdict& verdict, const std::vector<RateUse>& uses) {
  const RateUse& refused = uses[verdict.refused];
  std::string message;
  if (refused.amount > refused.limit.per_minute) {
    message = fmt::format("this request's estimated {} input tokens exceed the limit of {}: it "
                          "can never pass; shorten the prompt or raise the limit",
                          refused.amount, LimitName(refused.limit));
  } else {
    message = fmt::format("rate limit reached: {}; retry after {} ms", LimitName(refused.limit),
                          verdict.retry_after_ms);
  }
  Refusal refusal{Error::RateLimited(std::move(message), refused.limit.kind == RateKind::kRequests
                                                             ? "requests"
                                                             : "tokens"),
                  RateHeaders(verdict.states), "rate_limit"};
  const std::int64_t seconds = (verdict.retry_after_ms + 999) / 1000;
  refusal.headers.emplace_back("retry-after", std::to_string(std::max<std::int64_t>(seconds, 1)));
  refusal.headers.emplace_back("retry-after-ms", std::to_string(verdict.retry_after_ms));
  return refusal;
}

Refusal BudgetRefusal(std::string message) {
  return {Error::BudgetExceeded(std::move(message)), {{"x-should-retry", "false"}}, "budget"};
}

std::string BudgetName(const BudgetCheck& check) {
  return fmt::format("the {} budget of {} (${} per {})", check.limit.hard ? "hard" : "soft",
                     check.scope, pricing::FormatUsd(check.limit.nanos),
                     config::ToString(check.limit.period));
}

// "key:ID day, global month" for the soft budgets passed, each also logged.
std::string SoftAlerts(const std::vector<BudgetCheck>& checks, const std::vector<std::size_t>& over,
                       const KeyRecord& key) {
  std::vector<std::string> alerts;
  for (std::size_t index : over) {
    alerts.push_back(fmt::format("{} {}", checks[index].scope,
                                 config::ToString(checks[index].limit.period)));
    spdlog::warn("soft budget passed: {} (call by key '{}')", BudgetName(checks[index]), key.name);
  }
  return fmt::format("{}", fmt::join(alerts, ", "));
}

// A reservation's id: unique across gateways sharing one store (a random process prefix and a
// counter), so that one gateway's settlement never gives back another's reservation.
std::string NextReservationId() {
  static const std::string prefix = [] {
    auto id = NewKeyId();
    return id ? id->substr(4) : std::to_string(std::random_device{}());
  }();
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{}-{}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace

std::vector<std::string> SpendScopesOf(const KeyRecord& key) {
  std::vector<std::string> scopes;
  if (!key.id.empty()) scopes.push_back("key:" + key.id);
  if (!key.policy.team.empty()) scopes.push_back("team:" + key.policy.team);
  for (const auto& [tag, value] : key.policy.tags) scopes.push_back(fmt::format("tag:{}={}", tag, value));
  scopes.push_back("global");
  return scopes;
}

Admission::Admission(Admission&& other) noexcept { *this = std::move(other); }

Admission& Admission::operator=(Admission&& other) noexcept {
  if (this == &other) return *this;
  Release();
  key_ = std::move(other.key_);
  counters_ = std::exchange(other.counters_, nullptr);
  spend_scopes_ = std::move(other.spend_scopes_);
  reservation_ = std::move(other.reservation_);
  input_estimate_ = other.input_estimate_;
  token_limits_ = std::move(other.token_limits_);
  rate_headers_ = std::move(other.rate_headers_);
  budget_alert_ = std::move(other.budget_alert_);
  started_ = other.started_;
  return *this;
}

Admission::~Admission() { Release(); }

void Admission::Release() {
  if (counters_ == nullptr) return;
  if (reservation_.nanos > 0) counters_->ReleaseDetached(std::move(reservation_));
  counters_ = nullptr;
}

Governor::Governor(const config::Config& config, KeyRegistry& keys, CounterStore& counters,
                   Clock clock)
    : config_(config), keys_(keys), counters_(counters), clock_(std::move(clock)) {
  for (const config::ScopedLimits& scoped : config.governance.limits) {
    if (scoped.scope.starts_with("model:")) has_model_limits_ = true;
  }
}

Result<std::shared_ptr<const KeyRecord>> Governor::Authenticate(std::string_view presented) const {
  if (!keys_.any_key()) return Anonymous();  // no snapshot copied: the ungoverned path stays free
  const std::shared_ptr<const KeySnapshot> snapshot = keys_.snapshot();
  if (presented.empty()) {
    return Error::Unauthorized(
        "missing gateway key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
  }
  auto found = snapshot->by_hash.find(HashKey(presented));
  if (found == snapshot->by_hash.end()) return Error::Unauthorized("invalid gateway key");
  const KeyRecord& key = *found->second;
  if (key.revoked()) return Error::Unauthorized(fmt::format("the gateway key {} was revoked", key.id));
  if (key.expired(clock_())) {
    return Error::Unauthorized(fmt::format("the gateway key {} has expired", key.id));
  }
  return found->second;
}

std::vector<RateUse> Governor::RateUsesOf(const KeyRecord& key, const CallAsk& ask) const {
  std::vector<RateUse> uses;
  if (!key.id.empty()) AddLimits("key:" + key.id, key.policy.limits, true, ask.input_tokens, &uses);
  if (!key.policy.team.empty()) {
    const std::string team = "team:" + key.policy.team;
    for (const config::ScopedLimits& scoped : config_.governance.limits) {
      if (scoped.scope == team) AddLimits(team, scoped.limits, true, ask.input_tokens, &uses);
    }
  }
  return uses;
}

std::vector<BudgetCheck> Governor::BudgetChecksOf(const KeyRecord& key, const KeySnapshot& snapshot,
                                                  TimePoint now) const {
  std::vector<BudgetCheck> checks;
  if (key.policy.budget && !key.id.empty()) {
    checks.push_back({"key:" + key.id, *key.policy.budget, PeriodOf(key.policy.budget->period, now)});
  }
  const std::vector<std::string> scopes = SpendScopesOf(key);
  for (const config::ScopedBudget& budget : snapshot.budgets) {
    if (std::find(scopes.begin(), scopes.end(), budget.scope) == scopes.end()) continue;
    checks.push_back({budget.scope, budget.limit, PeriodOf(budget.limit.period, now)});
  }
  return checks;
}

Task<std::variant<Admission, Refusal>> Governor::Admit(std::shared_ptr<const KeyRecord> key,
                                                       CallAsk ask) {
  Admission admission;
  admission.key_ = key;
  admission.started_ = clock_();
  admission.input_estimate_ = ask.input_tokens;
  admission.spend_scopes_ = SpendScopesOf(*key);
  std::optional<Refusal> refused = co_await TakeRates(ask, admission);
  if (!refused) refused = co_await ReserveBudgets(ask, admission);
  if (refused) co_return std::move(*refused);
  admission.counters_ = &counters_;
  co_return std::move(admission);
}

std::optional<Refusal> Governor::CheckModels(const KeyRecord& key, std::string_view requested,
                                             std::span<const std::string> targets) const {
  if (ModelAllowed(key.policy.models, requested, targets)) return std::nullopt;
  return Refusal{Error::Forbidden(fmt::format("the gateway key '{}' may not use '{}' (its models: {})",
                                              key.name, requested.substr(0, 200),
                                              fmt::join(key.policy.models, ", "))),
                 {{"x-should-retry", "false"}},
                 "model"};
}

Task<std::optional<Refusal>> Governor::TakeRates(const CallAsk& ask, Admission& admission) {
  std::vector<RateUse> uses = RateUsesOf(*admission.key_, ask);
  if (uses.empty()) co_return std::nullopt;
  Result<RateVerdict> rates = co_await counters_.TakeRates(uses, admission.started_);
  if (!rates) {
    co_return StateDown(rates.error(), config_.state.rate_limits_open_when_down, "rate_limits");
  }
  state_down_.store(false, std::memory_order_relaxed);
  if (!rates->allowed) co_return RateRefusal(*rates, uses);
  admission.rate_headers_ = RateHeaders(rates->states);
  for (const RateUse& use : uses) {
    if (use.limit.kind != RateKind::kRequests) admission.token_limits_.push_back(use.limit);
  }
  co_return std::nullopt;
}

Task<std::optional<Refusal>> Governor::ReserveBudgets(const CallAsk& ask, Admission& admission) {
  const KeyRecord& key = *admission.key_;
  if (ask.free && config_.governance.exempt_free_models) co_return std::nullopt;
  if (!key.policy.budget && !keys_.any_scoped_budget()) co_return std::nullopt;
  const std::vector<BudgetCheck> checks =
      BudgetChecksOf(key, *keys_.snapshot(), admission.started_);
  if (checks.empty()) co_return std::nullopt;
  const bool any_hard = std::any_of(checks.begin(), checks.end(),
                                    [](const BudgetCheck& c) { return c.limit.hard; });
  std::int64_t reserve = ask.worst_nanos.value_or(0);
  if (!ask.worst_nanos && any_hard) {
    if (!config_.governance.unknown_price_reserve_nanos) {
      co_return BudgetRefusal(fmt::format(
          "'{}' has no known price, and the key's hard budget refuses what it cannot price "
          "(governance.unknown_price: refuse)", ask.requested.substr(0, 200)));
    }
    reserve = *config_.governance.unknown_price_reserve_nanos;
  }
  Reservation reservation{NextReservationId(), {}, reserve};
  for (const BudgetCheck& check : checks) reservation.scopes.push_back(check.scope);
  Result<BudgetVerdict> verdict = co_await counters_.Reserve(checks, reservation);
  if (!verdict) co_return StateDown(verdict.error(), config_.state.budgets_open_when_down, "budgets");
  state_down_.store(false, std::memory_order_relaxed);
  if (!verdict->allowed) {
    co_return BudgetRefusal(fmt::format(
        "{} would be exceeded: ${} spent or reserved this period, and this call may cost up to "
        "${}", BudgetName(checks[verdict->refused]), pricing::FormatUsd(verdict->spent_nanos),
        pricing::FormatUsd(reserve)));
  }
  admission.reservation_ = std::move(reservation);
  admission.budget_alert_ = SoftAlerts(checks, verdict->soft_over, key);
  co_return std::nullopt;
}

// What a call spent, for its budgets: the known costs of its attempts, and for each attempt whose
// price is unknown `unknown_price.reserve_usd` when configured, else what the call reserved — an
// unpriced attempt never counts as $0 against a budget.
std::int64_t Governor::ActualCost(const ledger::CallRecord& record, std::int64_t reserved) const {
  std::int64_t total = 0;
  bool unpriced = false;
  for (const ledger::AttemptRecord& attempt : record.attempts) {
    if (attempt.cost_nanos) {
      total += *attempt.cost_nanos;
    } else if (config_.governance.unknown_price_reserve_nanos) {
      total += *config_.governance.unknown_price_reserve_nanos;
    } else {
      unpriced = true;
    }
  }
  return unpriced ? std::max(total, reserved) : total;
}

Task<> Governor::Settle(Admission& admission, const ledger::CallRecord& record) {
  if (admission.counters_ == nullptr) co_return;
  admission.counters_ = nullptr;  // settled: the destructor has nothing more to give back
  const std::int64_t actual = ActualCost(record, admission.reservation_.nanos);
  Status settled = co_await counters_.Settle(std::move(admission.reservation_),
                                             admission.spend_scopes_, actual, admission.started_);
  if (!settled.ok()) spdlog::warn("cannot settle a call's spend: {}", settled.error().message);
  if (admission.token_limits_.empty()) co_return;
  const canonical::Usage usage = record.TotalUsage();
  const std::int64_t input = usage.input_tokens + usage.cached_input_tokens +
                             usage.cache_write_tokens + usage.cache_write_1h_tokens;
  std::vector<RateUse> measured;
  for (const RateLimit& limit : admission.token_limits_) {
    if (limit.kind == RateKind::kOutputTokens) measured.push_back({limit, usage.output_tokens});
    if (limit.kind == RateKind::kInputTokens && input > admission.input_estimate_) {
      measured.push_back({limit, input - admission.input_estimate_});
    }
  }
  if (!measured.empty()) (void)co_await counters_.AddRates(std::move(measured), clock_());
}

// The counter store could not answer: the call goes on without the check (`open`) or is refused
// with a 503, as state.on_redis_down says for `what`; one warning per outage, not one per call.
std::optional<Refusal> Governor::StateDown(const Error& error, bool open, std::string_view what) const {
  if (!state_down_.exchange(true, std::memory_order_relaxed)) {
    spdlog::warn("the governance's counter store is unreachable ({}); rate limits fail {}, "
                 "budgets fail {} (state.on_redis_down)", error.message,
                 config_.state.rate_limits_open_when_down ? "open" : "closed",
                 config_.state.budgets_open_when_down ? "open" : "closed");
  }
  (open ? state_down_open_ : state_down_closed_).fetch_add(1, std::memory_order_relaxed);
  if (open) return std::nullopt;
  return Refusal{Error::Unavailable(fmt::format("the {} state is unreachable, and {} fail closed "
                                                "(state.on_redis_down.{})",
                                                what == "budgets" ? "budget" : "rate-limit",
                                                what == "budgets" ? "budgets" : "rate limits", what)),
                 {},
                 ""};
}

const config::RateLimits* Governor::ModelLimits(std::string_view target) const {
  if (!has_model_limits_) return nullptr;
  for (const config::ScopedLimits& scoped : config_.governance.limits) {
    if (scoped.scope.starts_with("model:") && std::string_view(scoped.scope).substr(6) == target) {
      return &scoped.limits;
    }
  }
  return nullptr;
}

Task<std::optional<Refusal>> Governor::TakeModelLimits(std::string_view target,
                                                       std::int64_t input_tokens) {
  const config::RateLimits* limits = ModelLimits(target);
  if (limits == nullptr) co_return std::nullopt;
  std::vector<RateUse> uses;
  AddLimits(fmt::format("model:{}", target), *limits, true, input_tokens, &uses);
  Result<RateVerdict> rates = co_await counters_.TakeRates(uses, clock_());
  if (!rates) {
    co_return StateDown(rates.error(), config_.state.rate_limits_open_when_down, "rate_limits");
  }
  if (!rates->allowed) co_return RateRefusal(*rates, uses);
  co_return std::nullopt;
}

Task<> Governor::CountModelTokens(std::string_view target, std::int64_t input_estimate,
                                  const canonical::Usage& usage) {
  const config::RateLimits* limits = ModelLimits(target);
  if (limits == nullptr) co_return;
  const std::string scope = fmt::format("model:{}", target);
  const std::int64_t input = usage.input_tokens + usage.cached_input_tokens +
                             usage.cache_write_tokens + usage.cache_write_1h_tokens;
  std::vector<RateUse> measured;
  if (limits->output_tpm) {
    measured.push_back({{scope, RateKind::kOutputTokens, *limits->output_tpm}, usage.output_tokens});
  }
  if (limits->input_tpm && input > input_estimate) {
    measured.push_back({{scope, RateKind::kInputTokens, *limits->input_tpm}, input - input_estimate});
  }
  if (!measured.empty()) (void)co_await counters_.AddRates(std::move(measured), clock_());
}

std::string Governor::RenderMetrics() const {
  return fmt::format(
      "# HELP switchyard_state_up Whether the governance's counter store answered last (1) or "
      "not (0).\n# TYPE switchyard_state_up gauge\nswitchyard_state_up {}\n"
      "# HELP switchyard_state_unreachable_total Calls that met the counter store unreachable, by "
      "decision.\n# TYPE switchyard_state_unreachable_total counter\n"
      "switchyard_state_unreachable_total{{decision=\"admitted\"}} {}\n"
      "switchyard_state_unreachable_total{{decision=\"refused\"}} {}\n",
      counters_.healthy() ? 1 : 0, state_down_open_.load(std::memory_order_relaxed),
      state_down_closed_.load(std::memory_order_relaxed));
}

Task<Result<std::int64_t>> Governor::SpentByKey(const KeyRecord& key) {
  const config::BudgetPeriod period =
      key.policy.budget ? key.policy.budget->period : config::BudgetPeriod::kMonth;
  co_return co_await counters_.Spent("key:" + key.id, PeriodOf(period, clock_()));
}

Task<Result<std::int64_t>> Governor::SpentByScope(const config::ScopedBudget& budget) {
  co_return co_await counters_.Spent(budget.scope, PeriodOf(budget.limit.period, clock_()));
}

Status Governor::RebuildSpend() {
  ledger::GovernanceStore* store = keys_.store();
  if (store == nullptr) return {};
  auto rows = store->SpendByKeyAndDay(0);
  if (!rows) return rows.error();
  const std::shared_ptr<const KeySnapshot> snapshot = keys_.snapshot();
  std::vector<ScopeDaySpend> spend;
  for (const ledger::KeyDaySpend& row : *rows) {
    const std::int64_t nanos =
        row.cost_nanos + row.unpriced_attempts * config_.governance.unknown_price_reserve_nanos.value_or(0);
    if (nanos == 0) continue;
    KeyRecord key;
    if (auto found = snapshot->by_id.find(row.key_id); found != snapshot->by_id.end()) {
      key = *found->second;
    } else {
      key.id = row.key_id;
    }
    key.policy.team = row.team;  // the team the call was made under
    for (std::string& scope : SpendScopesOf(key)) spend.push_back({std::move(scope), row.day, nanos});
  }
  if (Status loaded = counters_.LoadSpent(spend); !loaded.ok()) return loaded;
  return {};
}

}  // namespace switchyard::governance

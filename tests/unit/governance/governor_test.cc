// The governor's admission and settlement, hermetically: config keys, the in-memory counters, an
// injected clock. Each call is one coroutine run to its end on a test io_context.
#include "governance/governor.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "fakes/io_test_util.h"
#include "governance/memory_counter_store.h"
#include "ledger/ledger_time.h"

namespace switchyard::governance {
namespace {

using std::chrono::system_clock;

constexpr std::int64_t kCent = 10'000'000;  // nano-dollars

system_clock::time_point At(std::string_view iso) {
  auto ms = ledger::ParseIsoTime(iso);
  EXPECT_TRUE(ms.ok()) << iso;
  return system_clock::time_point(std::chrono::milliseconds(ms.ok() ? *ms : 0));
}

config::GatewayKey Key(std::string name, std::string secret, config::KeyPolicy policy = {}) {
  return {Secret(std::move(secret)), std::move(name), std::move(policy)};
}

config::BudgetLimit Budget(std::int64_t nanos, bool hard = true,
                           config::BudgetPeriod period = config::BudgetPeriod::kDay) {
  return {nanos, period, hard};
}

std::string HeaderOf(const http::HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

class GovernorTest : public ::testing::Test {
 protected:
  void Start() {
    registry_ = std::make_unique<KeyRegistry>(config_, nullptr);
    governor_ = std::make_unique<Governor>(config_, *registry_, counters_, [this] { return now_; });
  }

  std::shared_ptr<const KeyRecord> Auth(std::string_view secret) {
    auto key = governor_->Authenticate(secret);
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
    return key.ok() ? *key : nullptr;
  }

  std::variant<Admission, Refusal> Admit(std::string_view secret, CallAsk ask) {
    std::optional<std::variant<Admission, Refusal>> out;
    auto key = Auth(secret);
    testing::RunTask(io_, [&]() -> Task<> { out.emplace(co_await governor_->Admit(key, ask)); });
    return std::move(*out);
  }

  static CallAsk Ask(std::int64_t worst, std::string model = "openai/gpt-4o-mini") {
    CallAsk ask;
    ask.requested = model;
    ask.input_tokens = 10;
    ask.worst_nanos = worst;
    return ask;
  }

  void Settle(Admission& admission, std::int64_t cost, std::int64_t output_tokens = 0) {
    ledger::CallRecord record;
    ledger::AttemptRecord attempt;
    attempt.cost_nanos = cost;
    attempt.usage.output_tokens = output_tokens;
    attempt.usage.input_tokens = 10;
    record.attempts.push_back(attempt);
    testing::RunTask(io_, [&]() -> Task<> { co_await governor_->Settle(admission, record); });
  }

  std::int64_t Spent(const std::string& scope, config::BudgetPeriod period) {
    return counters_.SpentNow(scope, PeriodOf(period, now_));
  }

  net::io_context io_;
  config::Config config_;
  MemoryCounterStore counters_;
  system_clock::time_point now_ = At("2026-12-09T12:00:00.000Z");
  std::unique_ptr<KeyRegistry> registry_;
  std::unique_ptr<Governor> governor_;
};

constexpr std::string_view kA = "sk-gw-key-a-123456";
constexpr std::string_view kB = "sk-gw-key-b-123456";

TEST_F(GovernorTest, AHardBudgetRefusesWhatItsReservationsWouldPass) {
  config::KeyPolicy policy;
  policy.budget = Budget(100 * kCent);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  std::vector<Admission> admitted;
  for (int i = 0; i < 3; ++i) {
    auto result = Admit(kA, Ask(30 * kCent));
    ASSERT_TRUE(std::holds_alternative<Admission>(result)) << i;
    admitted.push_back(std::move(std::get<Admission>(result)));
  }
  auto fourth = Admit(kA, Ask(30 * kCent));
  ASSERT_TRUE(std::holds_alternative<Refusal>(fourth));
  const Refusal& refusal = std::get<Refusal>(fourth);
  EXPECT_EQ(refusal.error.http_status, 402);
  EXPECT_EQ(refusal.error.type, "insufficient_quota");
  EXPECT_EQ(refusal.error.code, "budget_exceeded");
  EXPECT_EQ(HeaderOf(refusal.headers, "x-should-retry"), "false");
  EXPECT_NE(refusal.error.message.find("key:config:a"), std::string::npos) << refusal.error.message;
  // A call that cost less than it reserved makes room.
  Settle(admitted[0], 5 * kCent);
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(30 * kCent))));
  EXPECT_EQ(Spent("key:config:a", config::BudgetPeriod::kDay), 5 * kCent);
}

TEST_F(GovernorTest, TwoHundredConcurrentCallsAgainstRoomForFifty) {
  config::KeyPolicy policy;
  policy.budget = Budget(100 * kCent);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  std::vector<Admission> admitted;
  int refused = 0;
  for (int i = 0; i < 200; ++i) {  // all in flight at once: none settles before the last asks
    auto result = Admit(kA, Ask(2 * kCent));
    if (auto* admission = std::get_if<Admission>(&result)) {
      admitted.push_back(std::move(*admission));
    } else {
      ++refused;
    }
  }
  EXPECT_EQ(admitted.size(), 50u);
  EXPECT_EQ(refused, 150);
  for (Admission& admission : admitted) Settle(admission, 2 * kCent);
  EXPECT_EQ(Spent("key:config:a", config::BudgetPeriod::kDay), 100 * kCent);
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, Ask(1))));
}

TEST_F(GovernorTest, ASoftBudgetAlertsButAdmits) {
  config::KeyPolicy policy;
  policy.budget = Budget(10 * kCent, /*hard=*/false);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  auto first = Admit(kA, Ask(8 * kCent));
  ASSERT_TRUE(std::holds_alternative<Admission>(first));
  EXPECT_EQ(std::get<Admission>(first).budget_alert(), "");
  auto second = Admit(kA, Ask(8 * kCent));
  ASSERT_TRUE(std::holds_alternative<Admission>(second));
  EXPECT_EQ(std::get<Admission>(second).budget_alert(), "key:config:a day");
}

TEST_F(GovernorTest, TheNextPeriodStartsAfresh) {
  config::KeyPolicy policy;
  policy.budget = Budget(10 * kCent);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  auto first = Admit(kA, Ask(10 * kCent));
  ASSERT_TRUE(std::holds_alternative<Admission>(first));
  Settle(std::get<Admission>(first), 10 * kCent);
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, Ask(1))));
  now_ = At("2026-12-09T23:59:59.999Z");
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, Ask(1))));
  now_ = At("2026-12-10T00:00:00.000Z");
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(1))));
}

TEST_F(GovernorTest, ATeamBudgetIsSharedByItsKeys) {
  config::KeyPolicy policy;
  policy.team = "search";
  config_.keys = {Key("a", std::string(kA), policy), Key("b", std::string(kB), policy)};
  config_.governance.budgets = {{"team:search", Budget(10 * kCent)}};
  Start();
  auto a = Admit(kA, Ask(6 * kCent));
  ASSERT_TRUE(std::holds_alternative<Admission>(a));
  auto b = Admit(kB, Ask(6 * kCent));
  ASSERT_TRUE(std::holds_alternative<Refusal>(b));
  EXPECT_NE(std::get<Refusal>(b).error.message.find("team:search"), std::string::npos);
}

TEST_F(GovernorTest, UnknownPricesAreRefusedByAHardBudgetOrReservedAsConfigured) {
  config::KeyPolicy policy;
  policy.budget = Budget(10 * kCent);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  CallAsk unknown = Ask(0);
  unknown.worst_nanos.reset();
  auto refused = Admit(kA, unknown);
  ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
  EXPECT_NE(std::get<Refusal>(refused).error.message.find("no known price"), std::string::npos);

  config_.governance.unknown_price_reserve_nanos = 4 * kCent;
  Start();
  std::vector<Admission> held;
  for (int i = 0; i < 2; ++i) {
    auto admitted = Admit(kA, unknown);
    ASSERT_TRUE(std::holds_alternative<Admission>(admitted)) << i;
    held.push_back(std::move(std::get<Admission>(admitted)));
  }
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, unknown)));
}

TEST_F(GovernorTest, FreeModelsAreExemptUnlessTheConfigSaysOtherwise) {
  config::KeyPolicy policy;
  policy.budget = Budget(1);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  CallAsk free = Ask(0, "local/llama");
  free.free = true;
  Admission spent = std::get<Admission>(Admit(kA, Ask(1)));
  Settle(spent, 2);  // past the budget: only an exempt call passes now
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, free)));
  config_.governance.exempt_free_models = false;
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, free)));
}

TEST_F(GovernorTest, AnAdmissionDroppedWithoutSettlingGivesItsReservationBack) {
  config::KeyPolicy policy;
  policy.budget = Budget(10 * kCent);
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  {
    auto held = Admit(kA, Ask(10 * kCent));
    ASSERT_TRUE(std::holds_alternative<Admission>(held));
    EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kA, Ask(1))));
  }
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(10 * kCent))));
}

TEST_F(GovernorTest, RequestsPerMinuteWithRetryAfterAndTheGatewaysOwnHeaders) {
  config::KeyPolicy policy;
  policy.limits.rpm = 2;
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  auto first = Admit(kA, Ask(0));
  ASSERT_TRUE(std::holds_alternative<Admission>(first));
  const http::HeaderList& headers = std::get<Admission>(first).rate_headers();
  EXPECT_EQ(HeaderOf(headers, "x-ratelimit-limit-requests"), "2");
  EXPECT_EQ(HeaderOf(headers, "x-ratelimit-remaining-requests"), "1");
  EXPECT_EQ(HeaderOf(headers, "x-ratelimit-reset-requests"), "30s");
  ASSERT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(0))));
  auto third = Admit(kA, Ask(0));
  ASSERT_TRUE(std::holds_alternative<Refusal>(third));
  const Refusal& refusal = std::get<Refusal>(third);
  EXPECT_EQ(refusal.error.http_status, 429);
  EXPECT_EQ(HeaderOf(refusal.headers, "retry-after"), "30");
  EXPECT_EQ(HeaderOf(refusal.headers, "retry-after-ms"), "30000");
  EXPECT_EQ(HeaderOf(refusal.headers, "x-ratelimit-remaining-requests"), "0");
  now_ += std::chrono::seconds(30);
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(0))));
}

TEST_F(GovernorTest, OutputTokensCountAfterTheCallAndHoldTheNextOnes) {
  config::KeyPolicy policy;
  policy.limits.output_tpm = 100;
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  auto first = Admit(kA, Ask(0));
  ASSERT_TRUE(std::holds_alternative<Admission>(first));
  Settle(std::get<Admission>(first), 0, /*output_tokens=*/150);
  auto second = Admit(kA, Ask(0));
  ASSERT_TRUE(std::holds_alternative<Refusal>(second));
  EXPECT_EQ(std::get<Refusal>(second).error.type, "tokens");
  now_ += std::chrono::seconds(31);  // 150 tokens at 100 a minute: 90 s, less 60 s of window
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(0))));
}

TEST_F(GovernorTest, ATeamLimitIsSharedByItsKeys) {
  config::KeyPolicy policy;
  policy.team = "search";
  config_.keys = {Key("a", std::string(kA), policy), Key("b", std::string(kB), policy)};
  config::RateLimits limits;
  limits.rpm = 1;
  config_.governance.limits = {{"team:search", limits}};
  Start();
  EXPECT_TRUE(std::holds_alternative<Admission>(Admit(kA, Ask(0))));
  EXPECT_TRUE(std::holds_alternative<Refusal>(Admit(kB, Ask(0))));
}

TEST_F(GovernorTest, AKeyReachesOnlyItsModels) {
  config::KeyPolicy policy;
  policy.models = {"openai/*"};
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  auto key = Auth(kA);
  const std::vector<std::string> openai = {"openai/gpt-4o"};
  EXPECT_FALSE(governor_->CheckModels(*key, "openai/gpt-4o", openai));
  const std::vector<std::string> anthropic = {"anthropic/claude-sonnet-4-5"};
  auto refused = governor_->CheckModels(*key, "anthropic/claude-sonnet-4-5", anthropic);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error.http_status, 403);
  EXPECT_EQ(refused->error.code, "permission_denied");
  EXPECT_EQ(refused->reason, "model");
}

TEST_F(GovernorTest, AModelsOwnLimitIsTakenPerAttemptWhateverTheKey) {
  config::RateLimits limits;
  limits.rpm = 2;
  limits.output_tpm = 1000;
  config_.governance.limits = {{"model:openai/gpt-4o", limits}};
  Start();
  ASSERT_TRUE(governor_->has_model_limits());
  std::vector<bool> refused;
  testing::RunTask(io_, [&]() -> Task<> {
    for (int i = 0; i < 3; ++i) {
      auto refusal = co_await governor_->TakeModelLimits("openai/gpt-4o", 10);
      refused.push_back(refusal.has_value());
      if (refusal) {
        EXPECT_EQ(refusal->error.http_status, 429);
        EXPECT_EQ(HeaderOf(refusal->headers, "retry-after"), "30");
      }
    }
    auto other = co_await governor_->TakeModelLimits("openai/gpt-4o-mini", 10);
    EXPECT_FALSE(other.has_value());  // no limit of its own
  });
  EXPECT_EQ(refused, (std::vector<bool>{false, false, true}));
}

TEST_F(GovernorTest, ExpiredKeysAndMissingKeysAreUnauthorized) {
  config::KeyPolicy policy;
  policy.expires_at = At("2026-12-10T00:00:00.000Z");
  config_.keys = {Key("a", std::string(kA), policy)};
  Start();
  EXPECT_TRUE(governor_->Authenticate(kA).ok());
  EXPECT_FALSE(governor_->Authenticate("").ok());
  now_ = At("2026-12-10T00:00:00.000Z");
  auto expired = governor_->Authenticate(kA);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().http_status, 401);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
}

TEST_F(GovernorTest, WithoutAnyKeyEveryCallIsAnonymous) {
  Start();
  auto key = governor_->Authenticate("");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*key)->name, "anonymous");
  EXPECT_TRUE((*key)->id.empty());
}

}  // namespace
}  // namespace switchyard::governance

// The shared counter store against a real redis-server (scripts/with-redis.sh; skipped without
// one): rate limits and reservations exact under concurrency, all-or-nothing across scopes, a
// dropped reservation given back, one load of the ledger's spend however many gateways start, and
// an unreachable Redis failing fast.
#include "governance/redis_counter_store.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <unistd.h>

#include "fakes/io_test_util.h"
#include "redis/redis_client.h"
#include "unit/redis/redis_test_util.h"

namespace switchyard::governance {
namespace {

using redis::testing_util::RedisTestUrl;

constexpr auto kTtl = std::chrono::minutes(10);

class RedisCounterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RedisTestUrl().empty()) GTEST_SKIP() << "SWITCHYARD_TEST_REDIS_URL is not set";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    prefix_ = fmt::format("{}-{}-", info->name(), ::getpid());
    store_ = Open(RedisTestUrl());
  }

  static std::unique_ptr<RedisCounterStore> Open(const std::string& url,
                                                 std::chrono::milliseconds ttl = kTtl) {
    auto store = RedisCounterStore::Open(Secret(url), ttl);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::string Scope(std::string_view name) const { return prefix_ + std::string(name); }

  BudgetCheck Check(std::string_view scope, std::int64_t limit, bool hard = true) const {
    return {Scope(scope), {limit, config::BudgetPeriod::kTotal, hard},
            PeriodOf(config::BudgetPeriod::kTotal, std::chrono::system_clock::now())};
  }

  Reservation Held(std::string id, const std::vector<BudgetCheck>& checks, std::int64_t nanos) const {
    Reservation reservation{prefix_ + id, {}, nanos};
    for (const BudgetCheck& check : checks) reservation.scopes.push_back(check.scope);
    return reservation;
  }

  // Runs `count` copies of `make(i)` concurrently and waits for all of them.
  template <class Make>
  void RunConcurrently(int count, Make make) {
    int done = 0;
    for (int i = 0; i < count; ++i) {
      net::co_spawn(io_, make(i), [&done](std::exception_ptr) { ++done; });
    }
    testing::RunUntil(io_, [&] { return done == count; });
  }

  // Whether `store` comes to admit a reservation of `nanos` on `checks` (tried again until it does;
  // the bound is only a safety net for a broken build).
  bool EventuallyAdmits(RedisCounterStore& store, const std::vector<BudgetCheck>& checks,
                        std::int64_t nanos) {
    bool admitted = false;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (int attempt = 0; !admitted && std::chrono::steady_clock::now() < give_up; ++attempt) {
      testing::RunTask(io_, [&]() -> Task<> {
        auto again = co_await store.Reserve(checks, Held(fmt::format("try-{}", attempt), checks, nanos));
        admitted = again && again->allowed;
      });
    }
    return admitted;
  }

  net::io_context io_;
  std::string prefix_;
  std::unique_ptr<RedisCounterStore> store_;
};

TEST_F(RedisCounterStoreTest, RequestsPerMinuteAreExactUnderConcurrency) {
  const RateLimit limit{Scope("key"), RateKind::kRequests, 5};
  int allowed = 0;
  int refused = 0;
  RunConcurrently(12, [&](int) -> Task<> {
    std::vector<RateUse> uses = {{limit, 1}};
    Result<RateVerdict> verdict = co_await store_->TakeRates(std::move(uses), {});
    EXPECT_TRUE(verdict.ok()) << (verdict.ok() ? "" : verdict.error().message);
    if (verdict.ok()) ++(verdict->allowed ? allowed : refused);
  });
  EXPECT_EQ(allowed, 5);
  EXPECT_EQ(refused, 7);
}

TEST_F(RedisCounterStoreTest, RateUsesAreAllOrNothingAndReportTheirState) {
  const RateLimit key{Scope("key"), RateKind::kRequests, 10};
  const RateLimit team{Scope("team"), RateKind::kRequests, 1};
  std::optional<RateVerdict> first, second;
  testing::RunTask(io_, [&]() -> Task<> {
    std::vector<RateUse> one = {{team, 1}};
    auto a = co_await store_->TakeRates(std::move(one), {});
    if (a) first = *a;
    std::vector<RateUse> both = {{key, 1}, {team, 1}};
    auto b = co_await store_->TakeRates(std::move(both), {});
    if (b) second = *b;
  });
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->allowed);
  EXPECT_FALSE(second->allowed);
  EXPECT_EQ(second->refused, 1u);
  EXPECT_GT(second->retry_after_ms, 50'000);
  ASSERT_EQ(second->states.size(), 2u);
  EXPECT_EQ(second->states[0].remaining, 10);  // the key's limit was not taken
  EXPECT_EQ(second->states[1].remaining, 0);
}

TEST_F(RedisCounterStoreTest, ReservationsAreExactUnderConcurrencyAndSettleToTheRealCost) {
  const std::vector<BudgetCheck> checks = {Check("key", 1000)};
  int allowed = 0;
  std::vector<Reservation> held;
  RunConcurrently(30, [&](int i) -> Task<> {
    Reservation reservation = Held(std::to_string(i), checks, 70);
    Result<BudgetVerdict> verdict = co_await store_->Reserve(checks, reservation);
    EXPECT_TRUE(verdict.ok()) << (verdict.ok() ? "" : verdict.error().message);
    if (verdict.ok() && verdict->allowed) {
      ++allowed;
      held.push_back(reservation);
    }
  });
  EXPECT_EQ(allowed, 14);  // 14 × 70 = 980 ≤ 1000 < 15 × 70
  std::optional<std::int64_t> spent;
  std::optional<BudgetVerdict> after;
  testing::RunTask(io_, [&]() -> Task<> {
    for (Reservation& reservation : held) {
      std::vector<std::string> scopes = {Scope("key"), Scope("global")};
      Status settled = co_await store_->Settle(reservation, std::move(scopes), 60, std::chrono::system_clock::now());
      EXPECT_TRUE(settled.ok());
    }
    auto sum = co_await store_->Spent(Scope("global"), checks[0].window);
    if (sum) spent = *sum;
    auto next = co_await store_->Reserve(checks, Held("next", checks, 161));
    if (next) after = *next;
  });
  EXPECT_EQ(spent, 14 * 60);
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->allowed);  // 840 + 161 > 1000
  EXPECT_EQ(after->spent_nanos, 840);
}

TEST_F(RedisCounterStoreTest, AHardBudgetRefusesAllAndASoftOneIsReported) {
  const std::vector<BudgetCheck> checks = {Check("soft", 10, /*hard=*/false), Check("hard", 100)};
  std::optional<BudgetVerdict> passes, refused, untouched;
  testing::RunTask(io_, [&]() -> Task<> {
    auto a = co_await store_->Reserve(checks, Held("a", checks, 50));
    if (a) passes = *a;
    auto b = co_await store_->Reserve(checks, Held("b", checks, 60));
    if (b) refused = *b;
    const std::vector<BudgetCheck> soft_only = {checks[0]};
    auto c = co_await store_->Reserve(soft_only, Held("c", soft_only, 0));
    if (c) untouched = *c;
  });
  ASSERT_TRUE(passes && refused && untouched);
  EXPECT_TRUE(passes->allowed);
  EXPECT_EQ(passes->soft_over, std::vector<std::size_t>{0});
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->refused, 1u);
  EXPECT_EQ(refused->spent_nanos, 50);
  // The refused call reserved nothing on the soft budget either: only the first call's 50 is held.
  EXPECT_EQ(untouched->soft_over, std::vector<std::size_t>{0});
}

TEST_F(RedisCounterStoreTest, ADroppedReservationIsGivenBack) {
  const std::vector<BudgetCheck> checks = {Check("key", 100)};
  bool first = false;
  testing::RunTask(io_, [&]() -> Task<> {
    auto held = co_await store_->Reserve(checks, Held("dropped", checks, 100));
    first = held && held->allowed;
  });
  ASSERT_TRUE(first);
  store_->ReleaseDetached(Held("dropped", checks, 100));
  EXPECT_TRUE(EventuallyAdmits(*store_, checks, 100));
}

TEST_F(RedisCounterStoreTest, AReservationNoGatewaySettlesExpires) {
  auto store = Open(RedisTestUrl(), std::chrono::milliseconds(50));
  const std::vector<BudgetCheck> checks = {Check("key", 100)};
  bool first = false;
  testing::RunTask(io_, [&]() -> Task<> {
    auto held = co_await store->Reserve(checks, Held("lost", checks, 100));
    first = held && held->allowed;
  });
  ASSERT_TRUE(first);
  EXPECT_TRUE(EventuallyAdmits(*store, checks, 100));
}

TEST_F(RedisCounterStoreTest, TheLedgersSpendIsLoadedOnceWhateverTheGatewaysStarting) {
  const std::string url = RedisTestUrl() + "/7";
  {
    net::io_context io;
    redis::RedisClient client(io.get_executor(), redis::testing_util::ParseTestUrl(url));
    testing::RunTask(io, [&]() -> Task<> {
      (void)co_await client.Command(redis::testing_util::Cmd("FLUSHDB"));
    });
  }
  auto first = Open(url);
  auto second = Open(url);
  const std::vector<ScopeDaySpend> rows = {{Scope("key"), 20000, 30}, {Scope("key"), 20001, 12}};
  ASSERT_TRUE(first->LoadSpent(rows).ok());
  ASSERT_TRUE(second->LoadSpent(rows).ok());
  std::optional<std::int64_t> total, day;
  testing::RunTask(io_, [&]() -> Task<> {
    auto t = co_await first->Spent(Scope("key"), PeriodWindow{0, std::numeric_limits<std::int64_t>::max()});
    if (t) total = *t;
    auto d = co_await second->Spent(Scope("key"), PeriodWindow{20001 * 86'400'000LL, 20002 * 86'400'000LL});
    if (d) day = *d;
  });
  EXPECT_EQ(total, 42);
  EXPECT_EQ(day, 12);
}

TEST_F(RedisCounterStoreTest, AnUnreachableRedisFailsFast) {
  const std::uint16_t port = redis::testing_util::FreeLoopbackPort();
  auto store = Open(fmt::format("redis://127.0.0.1:{}", port));
  int failures = 0;
  testing::RunTask(io_, [&]() -> Task<> {
    for (int i = 0; i < 3; ++i) {
      std::vector<RateUse> uses = {{{Scope("key"), RateKind::kRequests, 5}, 1}};
      auto verdict = co_await store->TakeRates(std::move(uses), {});
      if (!verdict) {
        ++failures;
        EXPECT_EQ(verdict.error().kind, ErrorKind::kUnavailable);
      }
    }
  });
  EXPECT_EQ(failures, 3);
  EXPECT_FALSE(store->healthy());
}

}  // namespace
}  // namespace switchyard::governance

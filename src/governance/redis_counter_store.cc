#include "governance/redis_counter_store.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "governance/redis_counter_scripts.h"

namespace switchyard::governance {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::string RateKey(const RateLimit& limit) {
  return fmt::format("sy:rate:{}|{}|{}", limit.scope, ToString(limit.kind), limit.per_minute);
}
std::string SpendKey(std::string_view scope) { return fmt::format("sy:spend:{}", scope); }

// A reserved scope's three keys, in the scripts' order.
void AddReservationKeys(std::string_view scope, std::vector<std::string>& keys) {
  keys.push_back(SpendKey(scope));
  keys.push_back(fmt::format("sy:resv:{}", scope));
  keys.push_back(fmt::format("sy:resvamt:{}", scope));
}

std::int64_t DayOf(TimePoint at) {
  return std::chrono::floor<std::chrono::days>(at).time_since_epoch().count();
}

// The days a window spans, for the scripts: [first, end), end -1 for all time.
std::pair<std::int64_t, std::int64_t> Days(PeriodWindow window) {
  if (window.end_ms == std::numeric_limits<std::int64_t>::max()) return {0, -1};
  return {window.start_ms / kMsPerDay, window.end_ms / kMsPerDay};
}

// The integers of an array reply, or why it is not one.
Result<std::vector<std::int64_t>> Integers(const Result<redis::Reply>& reply) {
  if (!reply) return reply.error();
  auto elements = reply->AsArray();
  if (!elements) return elements.error();
  std::vector<std::int64_t> out;
  for (const redis::Reply& element : *elements) {
    auto value = element.AsInteger();
    if (!value) return value.error();
    out.push_back(*value);
  }
  return out;
}

Error Malformed(std::string_view what) {
  return Error::Unavailable(fmt::format("redis answered the {} script with an unexpected reply", what));
}

}  // namespace

Result<std::unique_ptr<RedisCounterStore>> RedisCounterStore::Open(
    const Secret& url, std::chrono::milliseconds reservation_ttl) {
  auto parsed = redis::RedisUrl::Parse(url.reveal());
  if (!parsed) return std::move(parsed).error();
  return std::unique_ptr<RedisCounterStore>(
      new RedisCounterStore(std::move(parsed).value(), reservation_ttl));
}

RedisCounterStore::RedisCounterStore(redis::RedisUrl url, std::chrono::milliseconds reservation_ttl)
    : work_(net::make_work_guard(io_)),
      client_(io_.get_executor(), std::move(url)),
      reservation_ttl_(reservation_ttl),
      thread_([this] { io_.run(); }) {}

// The connection's reads are always pending, so the loop is stopped rather than left to run out
// of work; what was in flight is abandoned (the gateway has stopped taking calls by then).
RedisCounterStore::~RedisCounterStore() {
  io_.stop();
  thread_.join();
}

Task<std::optional<Result<redis::Reply>>> RedisCounterStore::RunHere(
    const redis::Script* script, std::vector<std::string> keys, std::vector<std::string> args) {
  co_return co_await client_.Eval(*script, std::move(keys), std::move(args));
}

Task<Result<redis::Reply>> RedisCounterStore::Run(const redis::Script& script,
                                                  std::vector<std::string> keys,
                                                  std::vector<std::string> args) {
  std::optional<Result<redis::Reply>> reply = co_await net::co_spawn(
      io_, RunHere(&script, std::move(keys), std::move(args)), net::use_awaitable);
  if (!reply) co_return Error::Internal("the redis operation ended without a reply");
  co_return std::move(*reply);
}

namespace {

// The script's arguments for `uses`: the mode, then per use its figure and amount.
std::vector<std::string> RateArgs(std::string_view mode, const std::vector<RateUse>& uses) {
  std::vector<std::string> args = {std::string(mode)};
  for (const RateUse& use : uses) {
    args.push_back(std::to_string(use.limit.per_minute));
    args.push_back(std::to_string(use.amount));
  }
  return args;
}

std::vector<std::string> RateKeys(const std::vector<RateUse>& uses) {
  std::vector<std::string> keys;
  for (const RateUse& use : uses) keys.push_back(RateKey(use.limit));
  return keys;
}

}  // namespace

Task<Result<RateVerdict>> RedisCounterStore::TakeRates(std::vector<RateUse> uses, TimePoint) {
  std::vector<std::string> keys = RateKeys(uses);
  std::vector<std::string> args = RateArgs("take", uses);
  Result<redis::Reply> reply = co_await Run(RateScript(), std::move(keys), std::move(args));
  auto values = Integers(reply);
  if (!values) co_return values.error();
  if (values->size() != 2 + 2 * uses.size()) co_return Malformed("rate-limit");
  RateVerdict verdict;
  verdict.allowed = (*values)[0] == 0;
  verdict.refused = verdict.allowed ? 0 : static_cast<std::size_t>((*values)[0] - 1);
  verdict.retry_after_ms = (*values)[1];
  for (std::size_t i = 0; i < uses.size(); ++i) {
    verdict.states.push_back({uses[i].limit, (*values)[2 + 2 * i], (*values)[3 + 2 * i]});
  }
  co_return verdict;
}

Task<Status> RedisCounterStore::AddRates(std::vector<RateUse> uses, TimePoint) {
  std::erase_if(uses, [](const RateUse& use) { return use.amount <= 0; });
  if (uses.empty()) co_return Status();
  std::vector<std::string> keys = RateKeys(uses);
  std::vector<std::string> args = RateArgs("add", uses);
  Result<redis::Reply> reply = co_await Run(RateScript(), std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  if (reply->is_error()) co_return Error::Unavailable("redis: " + reply->text());
  co_return Status();
}

Task<Result<BudgetVerdict>> RedisCounterStore::Reserve(std::vector<BudgetCheck> checks,
                                                       Reservation reservation) {
  std::vector<std::string> keys;
  std::vector<std::string> args = {reservation.id, std::to_string(reservation.nanos),
                                   std::to_string(reservation_ttl_.count())};
  for (const BudgetCheck& check : checks) {
    AddReservationKeys(check.scope, keys);
    const auto [first, end] = Days(check.window);
    args.push_back(std::to_string(check.limit.nanos));
    args.push_back(check.limit.hard ? "1" : "0");
    args.push_back(std::to_string(first));
    args.push_back(std::to_string(end));
  }
  Result<redis::Reply> reply = co_await Run(ReserveScript(), std::move(keys), std::move(args));
  auto values = Integers(reply);
  if (!values) co_return values.error();
  if (values->size() < 2) co_return Malformed("budget");
  BudgetVerdict verdict;
  verdict.allowed = (*values)[0] == 0;
  verdict.refused = verdict.allowed ? 0 : static_cast<std::size_t>((*values)[0] - 1);
  verdict.spent_nanos = (*values)[1];
  for (std::size_t i = 2; i < values->size(); ++i) {
    verdict.soft_over.push_back(static_cast<std::size_t>((*values)[i] - 1));
  }
  co_return verdict;
}

Task<Status> RedisCounterStore::Settle(Reservation reservation,
                                       std::vector<std::string> spend_scopes,
                                       std::int64_t actual, TimePoint day_of) {
  std::vector<std::string> keys;
  const bool reserved = reservation.nanos > 0;
  if (reserved) {
    for (const std::string& scope : reservation.scopes) AddReservationKeys(scope, keys);
  }
  for (const std::string& scope : spend_scopes) keys.push_back(SpendKey(scope));
  std::vector<std::string> args = {reservation.id,
                                   std::to_string(reserved ? reservation.scopes.size() : 0),
                                   std::to_string(actual), std::to_string(DayOf(day_of))};
  Result<redis::Reply> reply = co_await Run(SettleScript(), std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  if (reply->is_error()) co_return Error::Unavailable("redis: " + reply->text());
  co_return Status();
}

namespace {

Task<> ReleaseQuietly(RedisCounterStore* store, Reservation reservation) {
  Status released = co_await store->Settle(std::move(reservation), {}, 0, TimePoint());
  if (!released.ok()) {
    spdlog::warn("a reservation could not be given back now; it expires on its own: {}",
                 released.error().message);
  }
}

}  // namespace

void RedisCounterStore::ReleaseDetached(Reservation reservation) {
  if (reservation.nanos <= 0) return;
  net::co_spawn(io_, ReleaseQuietly(this, std::move(reservation)), net::detached);
}

Task<Result<std::int64_t>> RedisCounterStore::Spent(std::string scope, PeriodWindow window) {
  const auto [first, end] = Days(window);
  std::vector<std::string> keys = {SpendKey(scope)};
  std::vector<std::string> args = {std::to_string(first), std::to_string(end)};
  Result<redis::Reply> reply = co_await Run(SpentScript(), std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  auto spent = reply->AsInteger();
  if (!spent) co_return spent.error();
  co_return static_cast<std::int64_t>(*spent);
}

namespace {

// The first gateway on an empty store loads the ledger's spend; the marker says it was done.
Task<Status> LoadOnce(redis::RedisClient& client, const std::vector<ScopeDaySpend>& rows) {
  std::vector<std::string> marker = {"SET", "sy:spend:loaded", "1", "NX"};
  Result<redis::Reply> first = co_await client.Command(std::move(marker));
  if (!first) co_return first.error();
  if (first->is_nil()) co_return Status();  // another gateway loaded it already
  for (const ScopeDaySpend& row : rows) {
    std::vector<std::string> day = {"HINCRBY", SpendKey(row.scope), std::to_string(row.day),
                                    std::to_string(row.nanos)};
    std::vector<std::string> total = {"HINCRBY", SpendKey(row.scope), "total",
                                      std::to_string(row.nanos)};
    Result<redis::Reply> a = co_await client.Command(std::move(day));
    if (!a) co_return a.error();
    Result<redis::Reply> b = co_await client.Command(std::move(total));
    if (!b) co_return b.error();
  }
  co_return Status();
}

}  // namespace

// Redis down at start does not stop the gateway: calls meet `state.on_redis_down`, and the next
// gateway to start with Redis up loads the spend.
Status RedisCounterStore::LoadSpent(const std::vector<ScopeDaySpend>& rows) {
  std::future<Status> done = net::co_spawn(io_, LoadOnce(client_, rows), net::use_future);
  Status loaded = done.get();
  if (!loaded.ok()) {
    spdlog::warn("cannot load the ledger's spend into redis now: {}", loaded.error().message);
  }
  return Status();
}

}  // namespace switchyard::governance

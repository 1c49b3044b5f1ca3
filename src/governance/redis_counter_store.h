// RedisCounterStore: the CounterStore that several gateways share (`state: { backend: redis }`).
// Each operation is one Lua script, so it is atomic on the server: a call's rate limits are all
// taken or none, and a reservation is checked and made against every budget at once, whichever
// gateway asks. Rate limits use the server's clock (TIME), so gateways with skewed clocks still
// count one limit the same way.
//
//   sy:rate:{scope}|{kind}|{per minute}   a limit's GCRA state (its theoretical arrival time, µs);
//                                         expires once the limit is whole again
//   sy:spend:{scope}                      hash: UTC day → nano-dollars, "total", "reserved"
//   sy:resv:{scope}, sy:resvamt:{scope}   the reservations held on a scope (id → expiry, id →
//                                         amount): one a gateway never settles (it died) expires
//                                         after `reservation_ttl`, and is given back then
//   sy:spend:loaded                       set by the first gateway that loaded the ledger's spend
//
// The client runs on the store's own I/O thread; the request path hands each operation over to it
// and awaits the answer, so no worker ever blocks on Redis. When Redis cannot be reached an
// operation fails fast (RedisClient's backoff) and the governor applies `state.on_redis_down`.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "core/secret.h"
#include "governance/counter_store.h"
#include "redis/redis_client.h"

namespace switchyard::governance {

class RedisCounterStore : public CounterStore {
 public:
  // Parses `url` and starts the I/O thread; does not connect yet (the first operation does).
  static Result<std::unique_ptr<RedisCounterStore>> Open(const Secret& url,
                                                         std::chrono::milliseconds reservation_ttl);
  ~RedisCounterStore() override;

  Task<Result<RateVerdict>> TakeRates(std::vector<RateUse> uses, TimePoint now) override;
  Task<Status> AddRates(std::vector<RateUse> uses, TimePoint now) override;
  Task<Result<BudgetVerdict>> Reserve(std::vector<BudgetCheck> checks,
                                      Reservation reservation) override;
  Task<Status> Settle(Reservation reservation, std::vector<std::string> spend_scopes,
                      std::int64_t actual, TimePoint day_of) override;
  void ReleaseDetached(Reservation reservation) override;
  Task<Result<std::int64_t>> Spent(std::string scope, PeriodWindow window) override;
  Status LoadSpent(const std::vector<ScopeDaySpend>& rows) override;

  bool healthy() const override { return client_.healthy(); }

 private:
  RedisCounterStore(redis::RedisUrl url, std::chrono::milliseconds reservation_ttl);

  // Runs `script` on the I/O thread and brings its reply back to the caller's executor.
  Task<Result<redis::Reply>> Run(const redis::Script& script, std::vector<std::string> keys,
                                 std::vector<std::string> args);
  Task<std::optional<Result<redis::Reply>>> RunHere(const redis::Script* script,
                                                    std::vector<std::string> keys,
                                                    std::vector<std::string> args);

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  redis::RedisClient client_;
  const std::chrono::milliseconds reservation_ttl_;
  std::thread thread_;
};

}  // namespace switchyard::governance

// ExperimentRegistry: the live state of every `ab` route's experiment (issue 17) — whether it runs,
// is paused or stopped, the shares in force (the configured ones until a promotion shifts them),
// the judging sample, and what judging has cost today against `judge.max_usd`. The state lives in
// the ledger's database (ledger/experiment_store.h) so that it survives restarts and several
// gateways see one experiment; this registry keeps a snapshot per route that a call reads without
// I/O, and refreshes it from the store every `experiments.refresh_ms` on its own thread, where it
// also decides promotions (PromotionDue).
//
//   running: traffic split by the shares in force, a sample judged.
//   paused:  traffic split the same way, nothing judged (no shadow or judge spend).
//   stopped: every call goes to the control (the first variant) — or to the promoted variant when
//            there was a promotion — and nothing is judged. `resume` starts it again.
//
// Thread-safe: Find() from any worker (a mutex held for a pointer copy), the admin API's changes on
// the blocking pool, the refresh on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "ledger/experiment_store.h"

namespace switchyard::gateway {

// One experiment as a call sees it; immutable once published.
struct LiveExperiment {
  const config::RouteConfig* route = nullptr;  // has an experiment; lives as long as the config
  std::string epoch;
  std::string status = "running";  // running | paused | stopped
  std::vector<double> shares;      // per variant, in the config's order: what assignment uses
  double sample = 0;               // the judging sample in force (0 without a judge)
  std::string promoted_to;         // the variant a promotion chose; empty: none
  std::string promotion_json;      // its decision and evidence, as stored
  std::int64_t started_ms = 0;
  std::int64_t updated_ms = 0;

  const config::ExperimentConfig& experiment() const { return *route->experiment; }
  bool judging() const { return status == "running" && sample > 0; }
};

class ExperimentRegistry {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  // `store` may be null (no ledger database): the configured state only, nothing kept. `now` is
  // injectable for tests.
  ExperimentRegistry(const config::Config& config, ledger::ExperimentStore* store,
                     WallClock now = std::chrono::system_clock::now);
  ~ExperimentRegistry();  // stops the refresh thread
  ExperimentRegistry(const ExperimentRegistry&) = delete;
  ExperimentRegistry& operator=(const ExperimentRegistry&) = delete;

  // Registers every ab route's current epoch in the store (ledger::ExperimentStore::Ensure) and
  // reads back its state and today's judging spend. Blocking; call before serving.
  Status Load();
  // Refreshes from the store every `every`, and runs `promote` for each experiment whose
  // promotion is enabled and not yet made (see PromotionDue). Idempotent.
  void StartRefreshing(std::chrono::milliseconds every);

  // The route's experiment; null when `route` is not an ab route.
  std::shared_ptr<const LiveExperiment> Find(std::string_view route) const;
  // Every experiment, in the config's order.
  std::vector<std::shared_ptr<const LiveExperiment>> All() const;

  // The admin API and the CLI: `action` pause | resume | stop. Writes the store (blocking), then
  // publishes the new state. NotFound for a route without an experiment; InvalidRequest for an
  // unknown action.
  Result<std::shared_ptr<const LiveExperiment>> Change(std::string_view route,
                                                       std::string_view action);
  // A promotion: every share to `variant`, the judging sample to promote.keep_sample, the
  // decision and its evidence (`promotion_json`) stored. Blocking.
  Result<std::shared_ptr<const LiveExperiment>> Promote(std::string_view route,
                                                        std::string_view variant,
                                                        std::string promotion_json);

  // Judging's spend cap (`judge.max_usd` per UTC day): whether one more judgement may start now
  // (the day's spend so far, from the store at load and refresh plus what this gateway has
  // added since, below the cap; and fewer than kMaxJudgingInFlight of its judgements in flight),
  // and if so counts it as in flight. FinishJudging() must follow every true BeginJudging(). The
  // cap may be passed by what the judgements in flight (at most kMaxJudgingInFlight) and other
  // gateways since the last refresh spend.
  bool BeginJudging(std::string_view route);
  void FinishJudging(std::string_view route, std::optional<std::int64_t> cost_nanos);
  // Sampled calls not judged because of the cap or the in-flight bound, since the start
  // (/admin/experiments shows it).
  std::int64_t judgements_skipped(std::string_view route) const;
  // What judging has cost today, as this gateway knows it.
  std::int64_t spent_today_nanos(std::string_view route) const;

  static constexpr int kMaxJudgingInFlight = 16;  // per experiment and gateway

  // The refresh thread's promotion check, exposed for tests: decides from the store's results
  // (experiments/results.h) whether `experiment` should be promoted now, and to which variant.
  // Runs on the refresh thread.
  using PromotionCheck = std::function<std::optional<std::pair<std::string, std::string>>(
      const LiveExperiment& experiment)>;  // → (variant, promotion_json)
  void set_promotion_check(PromotionCheck check);

  ledger::ExperimentStore* store() const { return store_; }

 private:
  struct Spend {
    std::int64_t day = -1;   // UTC days since the epoch that `nanos` covers
    std::int64_t nanos = 0;  // the store's sum at the last refresh, plus ours since
    int in_flight = 0;
    std::int64_t skipped = 0;
  };

  LiveExperiment Configured(const config::RouteConfig& route) const;
  std::shared_ptr<const LiveExperiment> FromStored(const config::RouteConfig& route,
                                                   const ledger::StoredExperiment& stored) const;
  void Publish(std::shared_ptr<const LiveExperiment> experiment);
  // Writes `next` to the store (when there is one), reads it back and publishes it.
  Result<std::shared_ptr<const LiveExperiment>> Store(const LiveExperiment& next);
  Status RefreshOne(const config::RouteConfig& route);
  void PromoteIfDue(const config::RouteConfig& route);
  void RefreshLoop(std::chrono::milliseconds every);
  std::int64_t Today() const;

  const config::Config& config_;
  ledger::ExperimentStore* const store_;
  const WallClock now_;

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const LiveExperiment>, std::less<>> live_;  // GUARDED_BY
  std::map<std::string, Spend, std::less<>> spend_;                                 // GUARDED_BY
  PromotionCheck promotion_check_;                                                  // GUARDED_BY

  std::mutex stop_mutex_;
  std::condition_variable stop_wake_;
  bool stop_ = false;  // GUARDED_BY(stop_mutex_)
  std::thread refresher_;
};

}  // namespace switchyard::gateway

// ExperimentStore: the `ab` experiments' rows in the ledger's database (schema version 5,
// migrations/v5_experiments.cc) — each experiment's epochs with their state (running, paused,
// stopped; the shares in force, a promotion's decision), and what the results are computed from:
// the calls each variant served and the judgements made after them (CallRecord::judgement, written
// by the ledger sink with the call's late attempts). Results live in the database so that they
// survive restarts and several gateways on one PostgreSQL see one experiment (issue 17).
//
// One implementation per backend (sqlite/sqlite_experiment_store.h,
// postgres/postgres_experiment_store.h), opened by ledger_factory.h. Thread-safe (a mutex around
// one connection); each call runs synchronously: keep it off the request path's event loops (the
// admin API runs it on the blocking pool, the experiment registry on its own refresh thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace switchyard::ledger {

// One epoch of one experiment. The variants are the config's (an epoch changes whenever they do);
// status and shares change through the admin API and promotion.
struct StoredExperiment {
  std::string route;
  std::string epoch;
  std::string variants_json;  // [{"name","target","share"}] as configured for this epoch
  std::string status;         // running | paused | stopped
  std::string shares_json;    // {"NAME": share, ...} in force (the configured ones until promoted)
  // The promotion's decision with its evidence ({"to", "verdict", "n", "judged", "time_ms"});
  // empty when there has been none.
  std::string promotion_json;
  std::int64_t started_ms = 0;
  std::int64_t updated_ms = 0;
};

// The calls one variant served in one epoch (calls whose `variant` and `epoch` are set).
struct VariantCalls {
  std::string variant;
  std::int64_t calls = 0;
  std::int64_t errors = 0;  // calls whose status was not 2xx (499, the client leaving, excluded)
  // The served attempts' known costs (every kind but shadow and judge, which are the experiment's
  // own spend), and the calls with any such attempt unpriced (not in cost_nanos).
  std::int64_t cost_nanos = 0;
  std::int64_t unpriced_calls = 0;
  // Latencies of the variant's latest successful calls, newest first, at most the asked bound.
  std::vector<double> latencies_ms;
};

struct StoredJudgement {
  std::string request_id;
  std::int64_t time_ms = 0;
  std::string mode;  // pairwise | score
  std::string variant_a;
  std::string variant_b;
  std::string served;
  std::string outcome;  // b_wins | a_wins | tie | invalid | scored
  std::optional<int> score;
  std::string a_first;
  std::string b_first;
  std::string reason;
  std::optional<std::int64_t> cost_nanos;
};

class ExperimentStore {
 public:
  virtual ~ExperimentStore() = default;

  // The epoch as stored: inserted from `configured` when it is new (its status, shares and times
  // as given), else the stored row unchanged (another gateway, the admin API or a promotion may
  // have changed it). An insert that does nothing when the epoch is stored, then a read: safe
  // when several gateways start at once (the first insert wins; every one reads it back).
  virtual Result<StoredExperiment> Ensure(const StoredExperiment& configured) = 0;

  // One epoch; nullopt when it is not stored.
  virtual Result<std::optional<StoredExperiment>> Find(std::string_view route,
                                                       std::string_view epoch) = 0;

  // Every stored epoch of `route` (of every route when empty), newest first (by started_ms).
  virtual Result<std::vector<StoredExperiment>> Experiments(std::string_view route) = 0;

  // Rewrites the status, shares, promotion and updated_ms of the stored epoch with `experiment`'s
  // route and epoch; NotFound when there is none.
  virtual Status Update(const StoredExperiment& experiment) = 0;

  // Per variant, the calls of `epoch` of `route`; at most `max_latencies` latencies each. Variants
  // without calls are absent.
  virtual Result<std::vector<VariantCalls>> CallsByVariant(std::string_view route,
                                                           std::string_view epoch,
                                                           int max_latencies) = 0;

  // The judgements of `epoch` of `route`, oldest first (by time_ms, then request id), at most
  // `limit` (the oldest ones: the sequential test reads them in order).
  virtual Result<std::vector<StoredJudgement>> Judgements(std::string_view route,
                                                          std::string_view epoch, int limit) = 0;

  // What judging `route` has cost since `since_ms` (every epoch), in nano-dollars: the sum of the
  // judgements' known costs (for judge.max_usd per day).
  virtual Result<std::int64_t> JudgingSpendSince(std::string_view route, std::int64_t since_ms) = 0;
};

}  // namespace switchyard::ledger

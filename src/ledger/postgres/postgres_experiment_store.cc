#include "ledger/postgres/postgres_experiment_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/postgres/postgres_schema.h"

namespace switchyard::ledger {
namespace {

constexpr std::string_view kExperimentColumns =
    "route, epoch, variants, status, shares, promotion, started_ms, updated_ms";

// As the SQLite store's (sqlite_experiment_store.cc): per call of the epoch, the known cost of its
// served attempts and how many are unpriced; then per variant. Grouping by the calls' primary key
// lets the per-call columns be read as they are. `epoch <> ''` lets the planner use the partial
// index calls_by_experiment; COLLATE "C" sorts by bytes, as SQLite does.
constexpr std::string_view kVariantSums = R"sql(
SELECT variant, count(*),
  sum(CASE WHEN status BETWEEN 200 AND 299 OR status = 499 THEN 0 ELSE 1 END),
  coalesce(sum(cost), 0)::bigint, sum(CASE WHEN unpriced > 0 THEN 1 ELSE 0 END)
FROM (
  SELECT c.variant AS variant, c.status AS status, sum(a.cost_nanos) AS cost,
    count(a.n) - count(a.cost_nanos) AS unpriced
  FROM calls c LEFT JOIN attempts a
    ON a.request_id = c.request_id AND a.kind NOT IN ('shadow', 'judge')
  WHERE c.route = $1::text AND c.epoch = $2::text AND c.epoch <> ''
  GROUP BY c.request_id) AS per_call
GROUP BY variant ORDER BY variant COLLATE "C")sql";

// The latest successful calls of each variant, newest first, at most $3 each.
constexpr std::string_view kLatencies = R"sql(
SELECT variant, latency_ms FROM (
  SELECT variant, latency_ms, row_number() OVER (
      PARTITION BY variant ORDER BY time_ms DESC, request_id COLLATE "C" DESC) AS k
  FROM calls
  WHERE route = $1::text AND epoch = $2::text AND epoch <> '' AND status BETWEEN 200 AND 299)
  AS recent
WHERE k <= $3::integer ORDER BY variant COLLATE "C", k)sql";

PgParam Int(std::int64_t value) { return std::to_string(value); }
PgParam TextOrNull(const std::string& text) { return text.empty() ? PgParam() : text; }

StoredExperiment ReadExperiment(const PgResult& result, int row) {
  return {result.Text(row, 0), result.Text(row, 1), result.Text(row, 2), result.Text(row, 3),
          result.Text(row, 4), result.Text(row, 5), result.Int(row, 6),  result.Int(row, 7)};
}

StoredJudgement ReadJudgement(const PgResult& result, int row) {
  std::optional<int> score;
  if (!result.IsNull(row, 7)) score = static_cast<int>(result.Int(row, 7));
  return {
      result.Text(row, 0), result.Int(row, 1),  result.Text(row, 2),  result.Text(row, 3),
      result.Text(row, 4), result.Text(row, 5), result.Text(row, 6),  score,
      result.Text(row, 8), result.Text(row, 9), result.Text(row, 10), result.OptionalInt(row, 11)};
}

}  // namespace

Result<std::unique_ptr<PostgresExperimentStore>> PostgresExperimentStore::Open(
    const std::string& url) {
  Result<PgLedgerConnection> db = PgLedgerConnection::Open(url, CreatePostgresLedgerSchema);
  if (!db) return db.error();
  return std::unique_ptr<PostgresExperimentStore>(new PostgresExperimentStore(std::move(*db)));
}

// READ COMMITTED: when another gateway inserts the same epoch at once, the insert waits for it
// and does nothing, and the read that follows sees its row.
Result<StoredExperiment> PostgresExperimentStore::Ensure(const StoredExperiment& configured) {
  std::lock_guard lock(mutex_);
  Result<PgResult> inserted = db_.Query(
      fmt::format("INSERT INTO experiments ({}) VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, "
                  "$8::bigint) ON CONFLICT (route, epoch) DO NOTHING",
                  kExperimentColumns),
      {configured.route, configured.epoch, configured.variants_json, configured.status,
       configured.shares_json, TextOrNull(configured.promotion_json), Int(configured.started_ms),
       Int(configured.updated_ms)});
  if (!inserted) return inserted.error();
  Result<std::optional<StoredExperiment>> stored = FindLocked(configured.route, configured.epoch);
  if (!stored) return stored.error();
  if (!*stored) return db_.DatabaseError("the experiment just stored cannot be read back");
  return std::move(**stored);
}

Result<std::optional<StoredExperiment>> PostgresExperimentStore::Find(std::string_view route,
                                                                      std::string_view epoch) {
  std::lock_guard lock(mutex_);
  return FindLocked(route, epoch);
}

Result<std::optional<StoredExperiment>> PostgresExperimentStore::FindLocked(
    std::string_view route, std::string_view epoch) {
  Result<PgResult> result = db_.Query(
      fmt::format("SELECT {} FROM experiments WHERE route = $1 AND epoch = $2", kExperimentColumns),
      {std::string(route), std::string(epoch)});
  if (!result) return result.error();
  if (result->rows() == 0) return std::optional<StoredExperiment>();
  return std::optional<StoredExperiment>(ReadExperiment(*result, 0));
}

Result<std::vector<StoredExperiment>> PostgresExperimentStore::Experiments(std::string_view route) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result =
      db_.Query(fmt::format("SELECT {} FROM experiments WHERE $1::text = '' OR route = $1::text "
                            "ORDER BY started_ms DESC, route COLLATE \"C\", epoch COLLATE \"C\"",
                            kExperimentColumns),
                {std::string(route)});
  if (!result) return result.error();
  std::vector<StoredExperiment> experiments;
  for (int row = 0; row < result->rows(); ++row) {
    experiments.push_back(ReadExperiment(*result, row));
  }
  return experiments;
}

Status PostgresExperimentStore::Update(const StoredExperiment& experiment) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "UPDATE experiments SET status = $3, shares = $4, promotion = $5, updated_ms = $6::bigint "
      "WHERE route = $1 AND epoch = $2 RETURNING route",
      {experiment.route, experiment.epoch, experiment.status, experiment.shares_json,
       TextOrNull(experiment.promotion_json), Int(experiment.updated_ms)});
  if (!result) return result.error();
  if (result->rows() == 0) {
    return Error::NotFound(fmt::format("there is no epoch {} of the experiment {}",
                                       experiment.epoch, experiment.route));
  }
  return {};
}

Result<std::vector<VariantCalls>> PostgresExperimentStore::CallsByVariant(std::string_view route,
                                                                          std::string_view epoch,
                                                                          int max_latencies) {
  std::lock_guard lock(mutex_);
  Result<PgConnection*> conn = db_.Connection();
  if (!conn) return conn.error();
  PgConnection& db = **conn;
  // One snapshot: the sums and the latencies see the same calls.
  if (Result<PgResult> begun = db.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begun) {
    return db_.DatabaseError(begun.error().message);
  }
  Result<std::vector<VariantCalls>> variants = ReadCallsByVariant(
      db, {std::string(route), std::string(epoch), Int(std::max(max_latencies, 0))});
  if (!db.broken()) (void)db.Exec(variants ? "COMMIT" : "ROLLBACK");
  return variants;
}

Result<std::vector<VariantCalls>> PostgresExperimentStore::ReadCallsByVariant(
    PgConnection& conn, const std::vector<PgParam>& params) {
  // The sums take the route and epoch only: PostgreSQL refuses a parameter a query leaves unused.
  Result<PgResult> sums = conn.Exec(kVariantSums, {params[0], params[1]});
  if (!sums) return db_.DatabaseError(sums.error().message);
  std::vector<VariantCalls> variants;
  for (int row = 0; row < sums->rows(); ++row) {
    VariantCalls v;
    v.variant = sums->Text(row, 0);
    v.calls = sums->Int(row, 1);
    v.errors = sums->Int(row, 2);
    v.cost_nanos = sums->Int(row, 3);
    v.unpriced_calls = sums->Int(row, 4);
    variants.push_back(std::move(v));
  }
  Result<PgResult> latencies = conn.Exec(kLatencies, params);
  if (!latencies) return db_.DatabaseError(latencies.error().message);
  for (int row = 0; row < latencies->rows(); ++row) {
    const std::string variant = latencies->Text(row, 0);
    auto v = std::find_if(variants.begin(), variants.end(),
                          [&](const VariantCalls& calls) { return calls.variant == variant; });
    if (v != variants.end()) v->latencies_ms.push_back(static_cast<double>(latencies->Int(row, 1)));
  }
  return variants;
}

Result<std::vector<StoredJudgement>> PostgresExperimentStore::Judgements(std::string_view route,
                                                                         std::string_view epoch,
                                                                         int limit) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "SELECT request_id, time_ms, mode, variant_a, variant_b, served, outcome, score, a_first, "
      "b_first, reason, cost_nanos FROM judgements WHERE route = $1 AND epoch = $2 "
      "ORDER BY time_ms, request_id COLLATE \"C\", variant_b COLLATE \"C\" LIMIT $3::integer",
      {std::string(route), std::string(epoch), Int(std::max(limit, 0))});
  if (!result) return result.error();
  std::vector<StoredJudgement> judgements;
  for (int row = 0; row < result->rows(); ++row) {
    judgements.push_back(ReadJudgement(*result, row));
  }
  return judgements;
}

Result<std::int64_t> PostgresExperimentStore::JudgingSpendSince(std::string_view route,
                                                                std::int64_t since_ms) {
  std::lock_guard lock(mutex_);
  Result<PgResult> result = db_.Query(
      "SELECT coalesce(sum(cost_nanos), 0)::bigint FROM judgements "
      "WHERE route = $1 AND time_ms >= $2::bigint",
      {std::string(route), Int(since_ms)});
  if (!result) return result.error();
  if (result->rows() == 0) return db_.DatabaseError("no sum");
  return result->Int(0, 0);
}

}  // namespace switchyard::ledger

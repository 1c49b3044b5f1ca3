#include "ledger/sqlite/sqlite_experiment_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/sqlite/ledger_schema.h"

namespace switchyard::ledger {
namespace {

constexpr std::string_view kExperimentColumns =
    "route, epoch, variants, status, shares, promotion, started_ms, updated_ms";

// Per call of the epoch, the known cost of its served attempts (every kind but the experiment's
// own shadow and judge calls) and how many of them are unpriced; then per variant. `epoch <> ''`
// is spelled out so that SQLite may use the partial index calls_by_experiment.
constexpr std::string_view kVariantSums = R"sql(
SELECT variant, count(*),
  sum(CASE WHEN status BETWEEN 200 AND 299 OR status = 499 THEN 0 ELSE 1 END),
  coalesce(sum(cost), 0), sum(CASE WHEN unpriced > 0 THEN 1 ELSE 0 END)
FROM (
  SELECT c.variant AS variant, c.status AS status, sum(a.cost_nanos) AS cost,
    count(a.n) - count(a.cost_nanos) AS unpriced
  FROM calls c LEFT JOIN attempts a
    ON a.request_id = c.request_id AND a.kind NOT IN ('shadow', 'judge')
  WHERE c.route = ?1 AND c.epoch = ?2 AND c.epoch <> ''
  GROUP BY c.request_id)
GROUP BY variant ORDER BY variant)sql";

// The latest successful calls of each variant, newest first, at most ?3 each.
constexpr std::string_view kLatencies = R"sql(
SELECT variant, latency_ms FROM (
  SELECT variant, latency_ms,
    row_number() OVER (PARTITION BY variant ORDER BY time_ms DESC, request_id DESC) AS k
  FROM calls
  WHERE route = ?1 AND epoch = ?2 AND epoch <> '' AND status BETWEEN 200 AND 299)
WHERE k <= ?3 ORDER BY variant, k)sql";

// A row of kExperimentColumns.
StoredExperiment ReadExperiment(const SqliteStatement& stmt) {
  return {stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3),
          stmt.Text(4), stmt.Text(5), stmt.Int(6),  stmt.Int(7)};
}

std::optional<int> OptionalSmallInt(const SqliteStatement& stmt, int column) {
  std::optional<std::int64_t> value = stmt.OptionalInt(column);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

}  // namespace

Result<std::unique_ptr<SqliteExperimentStore>> SqliteExperimentStore::Open(
    const std::string& path) {
  Result<SqliteDb> db = SqliteDb::Open(path, /*read_only=*/false);
  if (!db) return db.error();
  if (Status set = db->Exec("PRAGMA busy_timeout=5000;"); !set.ok()) return set.error();
  Result<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  if (Status schema = CreateLedgerSchema(*db, path); !schema.ok()) return schema.error();
  return std::unique_ptr<SqliteExperimentStore>(new SqliteExperimentStore(path, std::move(*db)));
}

Error SqliteExperimentStore::DatabaseError(const std::string& message) const {
  return Error::Unavailable(fmt::format("the ledger {}: {}", path_, message));
}

Result<StoredExperiment> SqliteExperimentStore::Ensure(const StoredExperiment& configured) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> insert = db_.Prepare(
      fmt::format("INSERT INTO experiments ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                  "ON CONFLICT (route, epoch) DO NOTHING",
                  kExperimentColumns));
  if (!insert) return DatabaseError(insert.error().message);
  insert->BindText(1, configured.route);
  insert->BindText(2, configured.epoch);
  insert->BindText(3, configured.variants_json);
  insert->BindText(4, configured.status);
  insert->BindText(5, configured.shares_json);
  insert->BindTextOrNull(6, configured.promotion_json);
  insert->BindInt(7, configured.started_ms);
  insert->BindInt(8, configured.updated_ms);
  if (Status ran = insert->RunOnce(); !ran.ok()) return DatabaseError(ran.error().message);
  Result<std::optional<StoredExperiment>> stored = FindLocked(configured.route, configured.epoch);
  if (!stored) return stored.error();
  if (!*stored) return DatabaseError("the experiment just stored cannot be read back");
  return std::move(**stored);
}

Result<std::optional<StoredExperiment>> SqliteExperimentStore::Find(std::string_view route,
                                                                    std::string_view epoch) {
  std::lock_guard lock(mutex_);
  return FindLocked(route, epoch);
}

Result<std::optional<StoredExperiment>> SqliteExperimentStore::FindLocked(std::string_view route,
                                                                          std::string_view epoch) {
  Result<SqliteStatement> stmt = db_.Prepare(fmt::format(
      "SELECT {} FROM experiments WHERE route = ?1 AND epoch = ?2", kExperimentColumns));
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  stmt->BindText(2, epoch);
  std::string error;
  if (!stmt->Step(&error)) {
    if (!error.empty()) return DatabaseError(error);
    return std::optional<StoredExperiment>();
  }
  return std::optional<StoredExperiment>(ReadExperiment(*stmt));
}

Result<std::vector<StoredExperiment>> SqliteExperimentStore::Experiments(std::string_view route) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt =
      db_.Prepare(fmt::format("SELECT {} FROM experiments WHERE ?1 = '' OR route = ?1 "
                              "ORDER BY started_ms DESC, route, epoch",
                              kExperimentColumns));
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  std::vector<StoredExperiment> experiments;
  std::string error;
  while (stmt->Step(&error)) experiments.push_back(ReadExperiment(*stmt));
  if (!error.empty()) return DatabaseError(error);
  return experiments;
}

Status SqliteExperimentStore::Update(const StoredExperiment& experiment) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "UPDATE experiments SET status = ?3, shares = ?4, promotion = ?5, updated_ms = ?6 "
      "WHERE route = ?1 AND epoch = ?2");
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, experiment.route);
  stmt->BindText(2, experiment.epoch);
  stmt->BindText(3, experiment.status);
  stmt->BindText(4, experiment.shares_json);
  stmt->BindTextOrNull(5, experiment.promotion_json);
  stmt->BindInt(6, experiment.updated_ms);
  if (Status ran = stmt->RunOnce(); !ran.ok()) return DatabaseError(ran.error().message);
  if (db_.changes() == 0) {
    return Error::NotFound(fmt::format("there is no epoch {} of the experiment {}",
                                       experiment.epoch, experiment.route));
  }
  return {};
}

Result<std::vector<VariantCalls>> SqliteExperimentStore::CallsByVariant(std::string_view route,
                                                                        std::string_view epoch,
                                                                        int max_latencies) {
  std::lock_guard lock(mutex_);
  // One read transaction: the sums and the latencies see the same calls.
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return DatabaseError(begun.error().message);
  struct EndRead {
    SqliteDb& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{db_};
  Result<std::vector<VariantCalls>> variants = VariantSums(route, epoch);
  if (!variants) return variants.error();
  if (Status added = AddLatencies(route, epoch, max_latencies, *variants); !added.ok()) {
    return added.error();
  }
  return variants;
}

Result<std::vector<VariantCalls>> SqliteExperimentStore::VariantSums(std::string_view route,
                                                                     std::string_view epoch) {
  Result<SqliteStatement> stmt = db_.Prepare(kVariantSums);
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  stmt->BindText(2, epoch);
  std::vector<VariantCalls> variants;
  std::string error;
  while (stmt->Step(&error)) {
    VariantCalls v;
    v.variant = stmt->Text(0);
    v.calls = stmt->Int(1);
    v.errors = stmt->Int(2);
    v.cost_nanos = stmt->Int(3);
    v.unpriced_calls = stmt->Int(4);
    variants.push_back(std::move(v));
  }
  if (!error.empty()) return DatabaseError(error);
  return variants;
}

Status SqliteExperimentStore::AddLatencies(std::string_view route, std::string_view epoch,
                                           int max_latencies, std::vector<VariantCalls>& variants) {
  Result<SqliteStatement> stmt = db_.Prepare(kLatencies);
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  stmt->BindText(2, epoch);
  stmt->BindInt(3, std::max(max_latencies, 0));
  std::string error;
  while (stmt->Step(&error)) {
    const std::string variant = stmt->Text(0);
    auto v = std::find_if(variants.begin(), variants.end(),
                          [&](const VariantCalls& calls) { return calls.variant == variant; });
    if (v != variants.end()) v->latencies_ms.push_back(static_cast<double>(stmt->Int(1)));
  }
  if (!error.empty()) return DatabaseError(error);
  return {};
}

Result<std::vector<StoredJudgement>> SqliteExperimentStore::Judgements(std::string_view route,
                                                                       std::string_view epoch,
                                                                       int limit) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "SELECT request_id, time_ms, mode, variant_a, variant_b, served, outcome, score, a_first, "
      "b_first, reason, cost_nanos FROM judgements WHERE route = ?1 AND epoch = ?2 "
      "ORDER BY time_ms, request_id, variant_b LIMIT ?3");
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  stmt->BindText(2, epoch);
  stmt->BindInt(3, std::max(limit, 0));  // a negative LIMIT would mean none in SQLite
  std::vector<StoredJudgement> judgements;
  std::string error;
  while (stmt->Step(&error)) {
    judgements.push_back({stmt->Text(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                          stmt->Text(5), stmt->Text(6), OptionalSmallInt(*stmt, 7), stmt->Text(8),
                          stmt->Text(9), stmt->Text(10), stmt->OptionalInt(11)});
  }
  if (!error.empty()) return DatabaseError(error);
  return judgements;
}

Result<std::int64_t> SqliteExperimentStore::JudgingSpendSince(std::string_view route,
                                                              std::int64_t since_ms) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> stmt = db_.Prepare(
      "SELECT coalesce(sum(cost_nanos), 0) FROM judgements WHERE route = ?1 AND time_ms >= ?2");
  if (!stmt) return DatabaseError(stmt.error().message);
  stmt->BindText(1, route);
  stmt->BindInt(2, since_ms);
  std::string error;
  if (!stmt->Step(&error)) return DatabaseError(error.empty() ? "no sum" : error);
  return stmt->Int(0);
}

}  // namespace switchyard::ledger

// An `ab` experiment's report (CONTRACT.md "Admin API": GET /admin/experiments/{route}; issue 17,
// "Results and verdict"): one epoch's state, its per-variant and per-pair results and the verdict,
// as the admin API's JSON or as the aligned table of `switchyard experiments show`. Both read the
// same ExperimentStore rows through experiments/results.h, so the API and the CLI never disagree.
//
// The JSON (unknowns are null, never NaN; numbers are plain decimals):
//   { route, epoch, status, shares: {NAME: share}, promotion: {...}|null, started,
//     judge: {model, mode, sample, margin, confidence, max_usd}|null,
//     variants: [{name, target, calls, judged, wins, losses, ties, win_rate, win_rate_ci: [lo, hi],
//                 mean_score, cost_per_call_usd, latency_ms: {p50, p95}, error_rate}],
//     pairs: [{a, b, judged, invalid, b_wins, a_wins, ties, b_win_rate, ci: [lo, hi],
//              decision: not_worse|worse|undecided, better: a|b|null}],
//     verdict, epochs: [{epoch, started, status}] }
// Building one reads the store (blocking): run it on the blocking pool or in the CLI.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "experiments/results.h"
#include "gateway/experiment_registry.h"
#include "ledger/experiment_store.h"

namespace switchyard::gateway {

// One epoch of one experiment as the report shows it: from the live state (the current epoch) or
// from its stored row (any epoch).
struct ReportState {
  std::string route;
  std::string epoch;
  std::string status;
  std::vector<config::ExperimentVariant> variants;  // the epoch's, in order; the first is A
  std::vector<double> shares;                       // in force, per variant
  std::string promotion_json;                       // empty: no promotion
  std::int64_t started_ms = 0;
  std::optional<config::ExperimentJudge> judge;  // the config's; none: not judged
  double sample = 0;                             // the judging sample in force
};

struct ExperimentReport {
  ReportState state;
  experiments::ExperimentResults results;
  bool from_ledger = false;                      // false: the live state only, nothing counted
  std::vector<ledger::StoredExperiment> epochs;  // every epoch of the route, newest first
};

// Bounds of what one report reads: latencies per variant (the percentiles' sample) and
// judgements (the oldest ones, as the sequential tests read them in order).
inline constexpr int kReportMaxLatencies = 10'000;
inline constexpr int kReportMaxJudgements = 200'000;

ReportState LiveState(const LiveExperiment& live);
// A stored epoch's state; its judge (and so mode, margin and confidence) is `route`'s when the
// config still has it as an ab route, else none. InvalidRequest when the stored JSON is unreadable.
Result<ReportState> StoredState(const ledger::StoredExperiment& stored,
                                const config::RouteConfig* route);

// The report of `state`, its results read from `store`; without a store (no ledger database), the
// state alone with a verdict saying so.
Result<ExperimentReport> BuildReport(ReportState state, ledger::ExperimentStore* store);

// The report of the live experiment's `epoch` (empty: the current one); NotFound for an epoch the
// store does not have.
Result<ExperimentReport> ReportFor(const LiveExperiment& live, ledger::ExperimentStore* store,
                                   std::string_view epoch);

// For the CLI, without a gateway: `route`'s `epoch` (empty: the config's current epoch when
// stored, else the newest) from the store alone. NotFound when the route or epoch is not stored.
Result<ExperimentReport> StoredReport(ledger::ExperimentStore& store, const config::Config& config,
                                      std::string_view route, std::string_view epoch);

boost::json::value ReportJson(const ExperimentReport& report);
// The variants' table, the pairs' table (pairwise mode) and the verdict line; unknowns as "-".
std::string ReportTable(const ExperimentReport& report);

// An aligned table: the first `text_columns` columns left-aligned, the rest right-aligned.
std::string AlignedTable(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows,
                         std::size_t text_columns);

// JSON text in which every double is written as a plain shortest decimal ("0.625", "0.00000002";
// not boost's "6.25E-1") and a non-finite one as null.
std::string ReportText(const boost::json::value& value);

}  // namespace switchyard::gateway

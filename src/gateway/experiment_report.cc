#include "gateway/experiment_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "ledger/ledger_time.h"

namespace switchyard::gateway {
namespace {

namespace json = boost::json;
using experiments::Decision;
using experiments::ExperimentResults;
using experiments::PairResult;
using experiments::VariantSummary;

constexpr std::string_view kNoLedgerVerdict =
    "Results need the ledger's database, which is off: traffic is split, but no calls or "
    "judgements are kept";

// ---- state --------------------------------------------------------------------------------------

Result<json::value> ParseJson(const std::string& text, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Error::InvalidRequest(fmt::format("the stored {} is not JSON", what));
  return value;
}

// The stored [{"name","target","share"}].
Result<std::vector<config::ExperimentVariant>> StoredVariants(const std::string& text) {
  Result<json::value> parsed = ParseJson(text, "variants");
  if (!parsed) return parsed.error();
  if (!parsed->is_array()) return Error::InvalidRequest("the stored variants are not a list");
  std::vector<config::ExperimentVariant> variants;
  for (const json::value& item : parsed->as_array()) {
    const json::object* object = item.if_object();
    const json::value* name = object ? object->if_contains("name") : nullptr;
    if (name == nullptr || !name->is_string()) {
      return Error::InvalidRequest("a stored variant has no name");
    }
    config::ExperimentVariant variant;
    variant.name = std::string(name->as_string());
    if (const json::value* target = object->if_contains("target"); target && target->is_string()) {
      variant.target = std::string(target->as_string());
    }
    if (const json::value* share = object->if_contains("share"); share && share->is_number()) {
      variant.share = share->to_number<double>();
    }
    variants.push_back(std::move(variant));
  }
  return variants;
}

// The stored {"NAME": share}, per variant; a variant it leaves out keeps its configured share.
std::vector<double> StoredShares(const std::string& text,
                                 const std::vector<config::ExperimentVariant>& variants) {
  std::vector<double> shares;
  boost::system::error_code ec;
  json::value parsed = text.empty() ? json::value() : json::parse(text, ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  for (const config::ExperimentVariant& variant : variants) {
    const json::value* share = object ? object->if_contains(variant.name) : nullptr;
    shares.push_back(share && share->is_number() ? share->to_number<double>() : variant.share);
  }
  return shares;
}

ledger::StoredExperiment EpochOf(const ReportState& state) {
  ledger::StoredExperiment epoch;
  epoch.route = state.route;
  epoch.epoch = state.epoch;
  epoch.status = state.status;
  epoch.started_ms = state.started_ms;
  return epoch;
}

// ---- results ------------------------------------------------------------------------------------

experiments::ResultsInput InputOf(const ReportState& state) {
  experiments::ResultsInput input;
  for (const config::ExperimentVariant& variant : state.variants) {
    input.variants.push_back(variant.name);
  }
  if (state.judge) {
    input.mode = state.judge->mode;
    input.margin = state.judge->margin;
    input.confidence = state.judge->confidence;
  }
  return input;
}

Status ReadResults(ledger::ExperimentStore& store, const ReportState& state,
                   experiments::ResultsInput& input) {
  auto calls = store.CallsByVariant(state.route, state.epoch, kReportMaxLatencies);
  if (!calls) return calls.error();
  for (ledger::VariantCalls& row : *calls) {
    input.totals.push_back({std::move(row.variant), row.calls, row.errors, row.cost_nanos,
                            row.unpriced_calls, std::move(row.latencies_ms)});
  }
  auto judgements = store.Judgements(state.route, state.epoch, kReportMaxJudgements);
  if (!judgements) return judgements.error();
  for (ledger::StoredJudgement& row : *judgements) {
    input.judgements.push_back({std::move(row.variant_a), std::move(row.variant_b),
                                std::move(row.served), std::move(row.mode), std::move(row.outcome),
                                row.score});
  }
  return Status();
}

// ---- JSON ---------------------------------------------------------------------------------------

// Rounded for reading (a win rate to 0.01 of a point, a cost to the nano-dollar): `scale` is a
// power of ten, exact as a double, so dividing by it gives the nearest double to the decimal.
double Rounded(double value, double scale) { return std::round(value * scale) / scale; }

json::value OrNull(const std::optional<double>& value, double scale) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return Rounded(*value, scale);
}

// A count kept as a double (VariantSummary's wins, losses, ties): an integer when it is whole.
json::value CountJson(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

json::value TimeOrNull(std::int64_t ms) {
  if (ms <= 0) return nullptr;
  return json::value(ledger::FormatIsoUtcMillis(ms));
}

json::value IntervalJson(const experiments::Interval& interval, bool known) {
  if (!known) return nullptr;
  return json::array{Rounded(interval.low, 1e4), Rounded(interval.high, 1e4)};
}

json::value JudgeJson(const ReportState& state) {
  if (!state.judge) return nullptr;
  const config::ExperimentJudge& judge = *state.judge;
  json::value max_usd = nullptr;
  if (judge.max_nanos_per_day) max_usd = static_cast<double>(*judge.max_nanos_per_day) / 1e9;
  return json::object{{"model", judge.model},           {"mode", judge.mode},
                      {"sample", state.sample},         {"margin", judge.margin},
                      {"confidence", judge.confidence}, {"max_usd", max_usd}};
}

json::object VariantJson(const VariantSummary& variant, const std::string& target) {
  const std::optional<double> win_rate = experiments::WinRate(variant);
  json::object latency = {{"p50", nullptr}, {"p95", nullptr}};
  if (variant.latency) {
    latency = {{"p50", variant.latency->p50_ms}, {"p95", variant.latency->p95_ms}};
  }
  return {
      {"name", variant.name},
      {"target", target},
      {"calls", variant.calls},
      {"judged", variant.judged},
      {"wins", CountJson(variant.wins)},
      {"losses", CountJson(variant.losses)},
      {"ties", CountJson(variant.ties)},
      {"win_rate", OrNull(win_rate, 1e4)},
      {"win_rate_ci", IntervalJson(experiments::WinRateInterval(variant), win_rate.has_value())},
      {"mean_score", OrNull(variant.mean_score, 1e3)},
      {"cost_per_call_usd", OrNull(variant.cost_per_call_usd, 1e9)},
      {"latency_ms", std::move(latency)},
      {"error_rate", OrNull(experiments::ErrorRate(variant), 1e4)}};
}

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kNotWorse:
      return "not_worse";
    case Decision::kWorse:
      return "worse";
    case Decision::kUndecided:
      break;
  }
  return "undecided";
}

json::value BetterOf(const PairResult& pair) {
  switch (pair.superiority.decision()) {
    case Decision::kNotWorse:
      return "b";
    case Decision::kWorse:
      return "a";
    case Decision::kUndecided:
      break;
  }
  return nullptr;
}

json::object PairJson(const PairResult& pair) {
  return {{"a", pair.a},
          {"b", pair.b},
          {"judged", pair.judged()},
          {"invalid", pair.invalid},
          {"b_wins", pair.b_wins},
          {"a_wins", pair.a_wins},
          {"ties", pair.ties},
          {"b_win_rate", OrNull(pair.b_win_rate, 1e4)},
          {"ci", IntervalJson(pair.ci, pair.b_win_rate.has_value())},
          {"decision", DecisionName(pair.not_worse.decision())},
          {"better", BetterOf(pair)}};
}

json::value PromotionJson(const std::string& text) {
  if (text.empty()) return nullptr;
  Result<json::value> parsed = ParseJson(text, "promotion");
  return parsed ? *parsed : json::value(text);
}

// ---- table --------------------------------------------------------------------------------------

std::string Cell(const std::optional<double>& value, const char* format) {
  if (!value || !std::isfinite(*value)) return "-";
  return fmt::format(fmt::runtime(format), *value);
}

std::string Count(double value) { return fmt::format("{}", value); }

std::string Percent(const std::optional<double>& rate) {
  return Cell(rate ? std::optional(*rate * 100) : std::nullopt, "{:.1f}%");
}

std::string IntervalCell(const experiments::Interval& interval, bool known) {
  if (!known) return "-";
  return fmt::format("{:.1f}-{:.1f}%", interval.low * 100, interval.high * 100);
}

std::vector<std::string> VariantRow(const VariantSummary& variant, const std::string& target,
                                    double share) {
  const std::optional<double> win_rate = experiments::WinRate(variant);
  std::optional<double> p50, p95;
  if (variant.latency) {
    p50 = variant.latency->p50_ms;
    p95 = variant.latency->p95_ms;
  }
  return {variant.name,
          target,
          fmt::format("{}", share),
          std::to_string(variant.calls),
          std::to_string(variant.judged),
          Count(variant.wins),
          Count(variant.losses),
          Count(variant.ties),
          Percent(win_rate),
          IntervalCell(experiments::WinRateInterval(variant), win_rate.has_value()),
          Cell(variant.mean_score, "{:.2f}"),
          Cell(variant.cost_per_call_usd, "${:.6f}"),
          Cell(p50, "{:.0f}"),
          Cell(p95, "{:.0f}"),
          Percent(experiments::ErrorRate(variant))};
}

std::string VariantsTable(const ExperimentReport& report) {
  std::vector<std::vector<std::string>> rows;
  const ReportState& state = report.state;
  for (std::size_t i = 0; i < report.results.variants.size() && i < state.variants.size(); ++i) {
    const double share = i < state.shares.size() ? state.shares[i] : state.variants[i].share;
    rows.push_back(VariantRow(report.results.variants[i], state.variants[i].target, share));
  }
  return AlignedTable(
      {"VARIANT", "TARGET", "SHARE", "CALLS", "JUDGED", "WINS", "LOSSES", "TIES", "WIN RATE",
       "95% CI", "MEAN SCORE", "COST/CALL", "P50 MS", "P95 MS", "ERRORS"},
      rows, 2);
}

std::string PairsTable(const ExperimentReport& report) {
  std::vector<std::vector<std::string>> rows;
  for (const PairResult& pair : report.results.pairs) {
    const json::value better = BetterOf(pair);
    rows.push_back({pair.a, pair.b, std::to_string(pair.judged()), std::to_string(pair.invalid),
                    std::to_string(pair.b_wins), std::to_string(pair.a_wins),
                    std::to_string(pair.ties), Percent(pair.b_win_rate),
                    IntervalCell(pair.ci, pair.b_win_rate.has_value()),
                    std::string(DecisionName(pair.not_worse.decision())),
                    better.is_null() ? "-" : std::string(better.as_string())});
  }
  return AlignedTable({"A", "B", "JUDGED", "INVALID", "B WINS", "A WINS", "TIES", "B WIN RATE",
                       "95% CI", "DECISION", "BETTER"},
                      rows, 2);
}

std::string Heading(const ReportState& state) {
  std::string text =
      fmt::format("experiment {}  epoch {}  {}", state.route, state.epoch, state.status);
  if (state.started_ms > 0) text += "  started " + ledger::FormatIsoUtcMillis(state.started_ms);
  text += '\n';
  if (state.judge) {
    text +=
        fmt::format("judge {} ({}, sample {}, margin {}, confidence {})\n", state.judge->model,
                    state.judge->mode, state.sample, state.judge->margin, state.judge->confidence);
  } else {
    text += "judge none\n";
  }
  if (!state.promotion_json.empty()) text += "promotion " + state.promotion_json + '\n';
  return text;
}

// ---- serialising --------------------------------------------------------------------------------

void Write(const json::value& value, std::string& out);

// "2e-08" → "0.00000002": the shortest digits written out in full, as the ledger's money is, so a
// reader never has to parse an exponent. Large exponents (never a rate or a cost) stay as they are.
std::string WithoutExponent(const std::string& shortest) {
  const std::size_t e = shortest.find('e');
  if (e == std::string::npos || shortest[e + 1] != '-') return shortest;
  const bool negative = shortest[0] == '-';
  std::string digits;
  for (char c : shortest.substr(negative ? 1 : 0, e - (negative ? 1 : 0))) {
    if (c != '.') digits += c;
  }
  const int exponent = std::stoi(shortest.substr(e + 1));  // d.ddd × 10^exponent, exponent < 0
  return (negative ? "-0." : "0.") + std::string(static_cast<std::size_t>(-exponent - 1), '0') +
         digits;
}

void WriteDouble(double number, std::string& out) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  // fmt's shortest round-trip digits: "0.625", "100", "2e-08" (then written out in full).
  out += WithoutExponent(fmt::format("{}", number));
}

void WriteObject(const json::object& object, std::string& out) {
  out += '{';
  bool first = true;
  for (const auto& [key, item] : object) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::string(key));
    out += ':';
    Write(item, out);
  }
  out += '}';
}

void Write(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::double_:
      WriteDouble(value.get_double(), out);
      return;
    case json::kind::object:
      WriteObject(value.get_object(), out);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(item, out);
      }
      out += ']';
      return;
    }
    default:
      out += json::serialize(value);
      return;
  }
}

}  // namespace

ReportState LiveState(const LiveExperiment& live) {
  ReportState state;
  state.route = live.route->name;
  state.epoch = live.epoch;
  state.status = live.status;
  state.variants = live.experiment().variants;
  state.shares = live.shares;
  state.promotion_json = live.promotion_json;
  state.started_ms = live.started_ms;
  state.judge = live.experiment().judge;
  state.sample = live.sample;
  return state;
}

Result<ReportState> StoredState(const ledger::StoredExperiment& stored,
                                const config::RouteConfig* route) {
  auto variants = StoredVariants(stored.variants_json);
  if (!variants) return variants.error();
  ReportState state;
  state.route = stored.route;
  state.epoch = stored.epoch;
  state.status = stored.status;
  state.shares = StoredShares(stored.shares_json, *variants);
  state.variants = std::move(*variants);
  state.promotion_json = stored.promotion_json;
  state.started_ms = stored.started_ms;
  if (route != nullptr && route->experiment) {
    const config::ExperimentConfig& experiment = *route->experiment;
    state.judge = experiment.judge;
    if (state.judge) {
      state.sample =
          stored.promotion_json.empty() ? state.judge->sample : experiment.promote.keep_sample;
    }
  }
  return state;
}

Result<ExperimentReport> BuildReport(ReportState state, ledger::ExperimentStore* store) {
  ExperimentReport report;
  experiments::ResultsInput input = InputOf(state);
  if (store != nullptr) {
    if (Status read = ReadResults(*store, state, input); !read.ok()) return read.error();
    auto epochs = store->Experiments(state.route);
    if (!epochs) return epochs.error();
    report.epochs = std::move(*epochs);
    report.from_ledger = true;
  } else {
    report.epochs.push_back(EpochOf(state));
  }
  report.results = experiments::ComputeResults(input);
  if (!report.from_ledger) report.results.verdict = std::string(kNoLedgerVerdict);
  report.state = std::move(state);
  return report;
}

Result<ExperimentReport> ReportFor(const LiveExperiment& live, ledger::ExperimentStore* store,
                                   std::string_view epoch) {
  if (epoch.empty() || epoch == live.epoch) return BuildReport(LiveState(live), store);
  if (store == nullptr) {
    return Error::NotFound("earlier epochs need the ledger's database, which is off");
  }
  auto stored = store->Find(live.route->name, epoch);
  if (!stored) return stored.error();
  if (!*stored) {
    return Error::NotFound(
        fmt::format("the experiment {} has no epoch '{}'", live.route->name, epoch.substr(0, 80)));
  }
  auto state = StoredState(**stored, live.route);
  if (!state) return state.error();
  return BuildReport(std::move(*state), store);
}

Result<ExperimentReport> StoredReport(ledger::ExperimentStore& store, const config::Config& config,
                                      std::string_view route, std::string_view epoch) {
  auto epochs = store.Experiments(route);
  if (!epochs) return epochs.error();
  const config::RouteConfig* configured = config.FindRoute(route);
  if (configured != nullptr && !configured->experiment) configured = nullptr;
  // Without an epoch: the config's current one when it has been stored, else the newest.
  std::string_view wanted = epoch;
  if (wanted.empty() && configured != nullptr) wanted = configured->experiment->epoch;
  const ledger::StoredExperiment* chosen = nullptr;
  for (const ledger::StoredExperiment& stored : *epochs) {
    if (stored.epoch == wanted) chosen = &stored;
  }
  if (chosen == nullptr && epoch.empty() && !epochs->empty()) chosen = &epochs->front();
  if (chosen == nullptr) {
    if (epochs->empty()) {
      return Error::NotFound(fmt::format("the ledger has no experiment '{}'", route.substr(0, 80)));
    }
    return Error::NotFound(fmt::format("the experiment {} has no epoch '{}'", route.substr(0, 80),
                                       epoch.substr(0, 80)));
  }
  auto state = StoredState(*chosen, configured);
  if (!state) return state.error();
  return BuildReport(std::move(*state), &store);
}

json::value ReportJson(const ExperimentReport& report) {
  const ReportState& state = report.state;
  json::object shares;
  for (std::size_t i = 0; i < state.variants.size(); ++i) {
    shares[state.variants[i].name] =
        i < state.shares.size() ? state.shares[i] : state.variants[i].share;
  }
  json::array variants;
  for (std::size_t i = 0; i < report.results.variants.size() && i < state.variants.size(); ++i) {
    variants.push_back(VariantJson(report.results.variants[i], state.variants[i].target));
  }
  json::array pairs;
  for (const PairResult& pair : report.results.pairs) pairs.push_back(PairJson(pair));
  json::array epochs;
  for (const ledger::StoredExperiment& epoch : report.epochs) {
    epochs.push_back(json::object{{"epoch", epoch.epoch},
                                  {"started", TimeOrNull(epoch.started_ms)},
                                  {"status", epoch.status}});
  }
  return json::object{{"route", state.route},
                      {"epoch", state.epoch},
                      {"status", state.status},
                      {"shares", std::move(shares)},
                      {"promotion", PromotionJson(state.promotion_json)},
                      {"started", TimeOrNull(state.started_ms)},
                      {"judge", JudgeJson(state)},
                      {"variants", std::move(variants)},
                      {"pairs", std::move(pairs)},
                      {"verdict", report.results.verdict},
                      {"epochs", std::move(epochs)}};
}

std::string ReportTable(const ExperimentReport& report) {
  std::string text = Heading(report.state);
  text += '\n';
  text += VariantsTable(report);
  if (!report.results.pairs.empty()) {
    text += '\n';
    text += PairsTable(report);
  }
  text += "\nverdict: " + report.results.verdict + '\n';
  return text;
}

std::string AlignedTable(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows,
                         std::size_t text_columns) {
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], cells[i].size());
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size() && i < width.size(); ++i) {
      if (i > 0) text += "  ";
      const std::string pad(width[i] - cells[i].size(), ' ');
      text += i < text_columns ? cells[i] + pad : pad + cells[i];
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text + '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

std::string ReportText(const json::value& value) {
  std::string out;
  Write(value, out);
  return out;
}

}  // namespace switchyard::gateway

#include "gateway/experiment_promotion.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "gateway/experiment_report.h"

namespace switchyard::gateway {
namespace {

// What the decision rests on, stored with it (and shown as `promotion` by the admin API).
std::string Evidence(const std::string& to, const ExperimentReport& report) {
  std::int64_t calls = 0;
  for (const experiments::VariantSummary& variant : report.results.variants) calls += variant.calls;
  std::int64_t judged = 0;
  for (const experiments::PairResult& pair : report.results.pairs) judged += pair.judged();
  boost::json::value json = ReportJson(report);
  boost::json::value pairs = std::move(json.as_object()["pairs"]);  // as the admin API shows them
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  return ReportText(boost::json::object{{"to", to},
                                        {"verdict", report.results.verdict},
                                        {"n", calls},
                                        {"judged", judged},
                                        {"pairs", std::move(pairs)},
                                        {"time_ms", now}});
}

}  // namespace

ExperimentRegistry::PromotionCheck PromotionFromReports(ledger::ExperimentStore* store) {
  return [store](const LiveExperiment& live) -> std::optional<std::pair<std::string, std::string>> {
    Result<ExperimentReport> report = ReportFor(live, store, "");
    if (!report) {
      spdlog::warn("experiment '{}': cannot read its results: {}", live.route->name,
                   report.error().message);
      return std::nullopt;
    }
    const std::optional<std::string> choice =
        experiments::PromotionChoice(report->results, live.experiment().promote.to);
    if (!choice) return std::nullopt;
    return std::pair(*choice, Evidence(*choice, *report));
  };
}

}  // namespace switchyard::gateway

#include "gateway/experiment_endpoints.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "gateway/admin_answer.h"
#include "gateway/experiment_registry.h"
#include "gateway/experiment_report.h"

namespace switchyard::gateway {
namespace {

namespace json = boost::json;
using http::Downstream;
using http::IncomingRequest;

constexpr std::string_view kPath = "/admin/experiments/";

AdminAnswer JsonAnswer(const json::value& body) {
  return {200, "application/json", ReportText(body)};
}

Error NotAnExperiment(std::string_view route) {
  return Error::NotFound(fmt::format("there is no ab route '{}'", route.substr(0, 80)));
}

// The registry, or why there is none (a gateway whose config has no ab route may not build one).
Result<ExperimentRegistry*> Registry(const GatewayState& state) {
  if (state.experiments == nullptr) return Error::NotFound("this gateway runs no experiments");
  return state.experiments.get();
}

// The report, with what judging costs today as this gateway knows it (the cap is per day) and the
// judgements it skipped for the cap or the in-flight bound since it started.
json::value WithJudging(const ExperimentReport& report, const ExperimentRegistry& registry) {
  json::value body = ReportJson(report);
  const std::string& route = report.state.route;
  body.as_object()["judging"] = json::object{
      {"spent_today_usd", static_cast<double>(registry.spent_today_nanos(route)) / 1e9},
      {"skipped", registry.judgements_skipped(route)}};
  return body;
}

AdminAnswer ListExperiments(const GatewayState& state) {
  json::array data;
  if (state.experiments != nullptr) {
    for (const auto& live : state.experiments->All()) {
      auto report = ReportFor(*live, state.experiments->store(), "");
      if (!report) return ErrorAnswer(report.error());
      data.push_back(json::object{{"name", live->route->name},
                                  {"epoch", live->epoch},
                                  {"status", live->status},
                                  {"verdict", report->results.verdict}});
    }
  }
  return JsonAnswer(json::object{{"object", "list"}, {"data", std::move(data)}});
}

AdminAnswer ShowExperiment(const GatewayState& state, const std::string& route,
                           const std::string& epoch) {
  auto registry = Registry(state);
  if (!registry) return ErrorAnswer(registry.error());
  std::shared_ptr<const LiveExperiment> live = (*registry)->Find(route);
  if (live == nullptr) return ErrorAnswer(NotAnExperiment(route));
  auto report = ReportFor(*live, (*registry)->store(), epoch);
  if (!report) return ErrorAnswer(report.error());
  return JsonAnswer(WithJudging(*report, **registry));
}

AdminAnswer ChangeExperiment(const GatewayState& state, const std::string& route,
                             const std::string& action) {
  auto registry = Registry(state);
  if (!registry) return ErrorAnswer(registry.error());
  if ((*registry)->Find(route) == nullptr) return ErrorAnswer(NotAnExperiment(route));
  auto changed = (*registry)->Change(route, action);
  if (!changed) return ErrorAnswer(changed.error());
  auto report = ReportFor(**changed, (*registry)->store(), "");
  if (!report) return ErrorAnswer(report.error());
  return JsonAnswer(WithJudging(*report, **registry));
}

AdminAnswer NotAnEndpoint(std::string_view method, std::string_view path) {
  return ErrorAnswer(
      Error::NotFound(fmt::format("unknown endpoint {} {}", method, path.substr(0, 120))));
}

// "/admin/experiments/ROUTE" → "ROUTE"; "/admin/experiments/ROUTE/pause" → "ROUTE", "pause".
std::string RouteOf(std::string_view path, std::string* action) {
  std::string_view rest = path.substr(kPath.size());
  const std::size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    *action = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  return std::string(rest);
}

bool IsAction(std::string_view action) {
  return action == "pause" || action == "resume" || action == "stop";
}

}  // namespace

void AddExperimentEndpoints(http::EndpointTable& table, Worker& worker) {
  const GatewayState& state = worker.state;
  table.Add("GET", "/admin/experiments", [&state](IncomingRequest& request, Downstream& down) {
    return Authorized(state, request, down, [&state] { return ListExperiments(state); });
  });
  table.Add("GET", "/admin/experiments/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string route = RouteOf(request.path, &action);
    // Copied first: an absent query is a null view, which the URL parser cannot take.
    const std::string query(request.query);
    std::string epoch = QueryParam(query, "epoch");
    std::string path(request.path);
    return Authorized(state, request, down, [&state, route, action, epoch, path] {
      return action.empty() ? ShowExperiment(state, route, epoch) : NotAnEndpoint("GET", path);
    });
  });
  table.Add("POST", "/admin/experiments/*", [&state](IncomingRequest& request, Downstream& down) {
    std::string action;
    std::string route = RouteOf(request.path, &action);
    std::string path(request.path);
    return Authorized(state, request, down, [&state, route, action, path] {
      return IsAction(action) ? ChangeExperiment(state, route, action)
                              : NotAnEndpoint("POST", path);
    });
  });
}

}  // namespace switchyard::gateway

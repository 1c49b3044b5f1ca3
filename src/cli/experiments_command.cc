#include "cli/experiments_command.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "config/config_loader.h"
#include "gateway/experiment_report.h"
#include "ledger/ledger_factory.h"
#include "ledger/ledger_time.h"

namespace switchyard::cli {
namespace {

namespace json = boost::json;

void PrintError(const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); }

// A usage problem, or empty.
std::optional<std::string> UsageProblem(const ExperimentsOptions& options) {
  if (!options.format.empty() && options.format != "table" && options.format != "json") {
    return "--format '" + options.format + "' is not one of table, json";
  }
  if (!options.action.empty() && options.action != "list" && options.action != "show") {
    return "'" + options.action + "' is not an experiments command; use list or show NAME";
  }
  if (options.action == "show" && options.name.empty()) {
    return "switchyard experiments show needs the experiment's route name";
  }
  if (options.action != "show" && !options.epoch.empty()) {
    return "--epoch applies to show NAME; list prints every epoch";
  }
  return std::nullopt;
}

// `serve --demo`'s routes, each unless the config has one of that name.
config::Config WithDemoRoutes(config::Config config) {
  for (config::RouteConfig& route : DemoRoutes()) {
    if (config.FindRoute(route.name) == nullptr) config.routes.push_back(std::move(route));
  }
  return config;
}

// The config (the embedded defaults without --config); empty after printing why.
std::optional<config::Config> ConfigOf(const ExperimentsOptions& options) {
  if (options.config_path.empty()) {
    return options.demo ? WithDemoRoutes(config::DefaultConfig()) : config::DefaultConfig();
  }
  config::LoadResult loaded = config::LoadConfigFile(options.config_path);
  if (!loaded.config) {
    for (const config::ConfigProblem& problem : loaded.problems) {
      if (problem.line > 0) {
        std::fprintf(stderr, "%s:%d: %s\n", options.config_path.c_str(), problem.line,
                     problem.message.c_str());
      } else {
        std::fprintf(stderr, "%s: %s\n", options.config_path.c_str(), problem.message.c_str());
      }
    }
    return std::nullopt;
  }
  if (options.demo) return WithDemoRoutes(std::move(*loaded.config));
  return std::move(*loaded.config);
}

bool Emit(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    PrintError("cannot write the results to stdout");
    return false;
  }
  return true;
}

const config::RouteConfig* AbRoute(const config::Config& config, std::string_view name) {
  const config::RouteConfig* route = config.FindRoute(name);
  return route != nullptr && route->experiment ? route : nullptr;
}

struct ListRow {
  const ledger::StoredExperiment* stored;
  std::string verdict;
};

std::string ListTable(const std::vector<ListRow>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const ListRow& row : rows) {
    const std::int64_t started = row.stored->started_ms;
    cells.push_back({row.stored->route, row.stored->epoch, row.stored->status,
                     started > 0 ? ledger::FormatIsoUtcMillis(started) : "-", row.verdict});
  }
  return gateway::AlignedTable({"ROUTE", "EPOCH", "STATUS", "STARTED", "VERDICT"}, cells, 5);
}

std::string ListJson(const std::vector<ListRow>& rows) {
  json::array data;
  for (const ListRow& row : rows) {
    const std::int64_t started = row.stored->started_ms;
    data.push_back(
        json::object{{"route", row.stored->route},
                     {"epoch", row.stored->epoch},
                     {"status", row.stored->status},
                     {"started", started > 0 ? json::value(ledger::FormatIsoUtcMillis(started))
                                             : json::value(nullptr)},
                     {"verdict", row.verdict}});
  }
  return gateway::ReportText(json::object{{"object", "list"}, {"data", std::move(data)}}) + "\n";
}

int List(ledger::ExperimentStore& store, const config::Config& config, bool as_json) {
  auto stored = store.Experiments("");
  if (!stored) {
    PrintError(stored.error().message);
    return 1;
  }
  std::vector<ListRow> rows;
  for (const ledger::StoredExperiment& epoch : *stored) {
    auto state = gateway::StoredState(epoch, AbRoute(config, epoch.route));
    if (!state) {
      PrintError(state.error().message);
      return 1;
    }
    auto report = gateway::BuildReport(std::move(*state), &store);
    if (!report) {
      PrintError(report.error().message);
      return 1;
    }
    rows.push_back({&epoch, report->results.verdict});
  }
  return Emit(as_json ? ListJson(rows) : ListTable(rows)) ? 0 : 1;
}

int Show(ledger::ExperimentStore& store, const config::Config& config,
         const ExperimentsOptions& options, bool as_json) {
  auto report = gateway::StoredReport(store, config, options.name, options.epoch);
  if (!report) {
    PrintError(report.error().message);
    // An unknown route or epoch is the caller's mistake; anything else is the database's.
    return report.error().kind == ErrorKind::kNotFound ? 2 : 1;
  }
  const std::string text = as_json ? gateway::ReportText(gateway::ReportJson(*report)) + "\n"
                                   : gateway::ReportTable(*report);
  return Emit(text) ? 0 : 1;
}

}  // namespace

int Experiments(const ExperimentsOptions& options) {
  // Usage first: a wrong option is reported even when there is no ledger yet.
  if (std::optional<std::string> problem = UsageProblem(options)) {
    PrintError(*problem);
    return 2;
  }
  std::optional<config::Config> config = ConfigOf(options);
  if (!config) return 2;
  auto store = ledger::OpenExperimentStore(config->ledger);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  const bool as_json = options.format == "json";
  if (options.action == "show") return Show(**store, *config, options, as_json);
  return List(**store, *config, as_json);
}

}  // namespace switchyard::cli

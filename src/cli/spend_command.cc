#include "cli/spend_command.h"

#include <cstdio>
#include <optional>

#include "config/config_loader.h"
#include "ledger/ledger_factory.h"
#include "ledger/query/ledger_format.h"
#include "ledger/query/spend_query.h"

namespace switchyard::cli {
namespace {

void PrintError(const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); }

// The ledger the config names; empty (after printing why) when the config is unusable.
std::optional<config::LedgerConfig> LedgerConfigOf(const SpendOptions& options) {
  if (options.config_path.empty()) return config::DefaultConfig().ledger;
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
  return loaded.config->ledger;
}

}  // namespace

int Spend(const SpendOptions& options) {
  // Usage first: a wrong option is reported even when there is no ledger yet.
  Result<ledger::OutputFormat> format = ledger::ParseOutputFormat(options.format);
  if (!format) {
    PrintError(format.error().message);
    return 2;
  }
  const bool reconcile = !options.report.empty();
  if (reconcile && options.report != "reconcile") {
    PrintError("--report '" + options.report + "' is not a report; the one report is reconcile");
    return 2;
  }
  if (reconcile && !options.group_by.empty()) {
    PrintError("--group-by does not apply to --report reconcile, which groups by day, provider "
               "and model");
    return 2;
  }
  Result<ledger::SpendQuery> query =
      ledger::ParseSpendQuery(options.since, options.until, options.group_by);
  if (!query) {
    PrintError(query.error().message);
    return 2;
  }
  std::optional<config::LedgerConfig> ledger_config = LedgerConfigOf(options);
  if (!ledger_config) return 2;

  Result<std::unique_ptr<ledger::LedgerStore>> reader = ledger::OpenLedgerStore(*ledger_config);
  if (!reader) {
    PrintError(reader.error().message);
    return 1;
  }
  std::string text;
  if (reconcile) {
    Result<std::vector<ledger::ReconcileRow>> rows = (*reader)->Reconcile(query->range);
    if (!rows) {
      PrintError(rows.error().message);
      return 1;
    }
    text = ledger::FormatReconcile(*rows, query->range, *format);
  } else {
    Result<std::vector<ledger::SpendRow>> rows = (*reader)->Spend(*query);
    if (!rows) {
      PrintError(rows.error().message);
      return 1;
    }
    text = ledger::FormatSpend(*rows, *query, *format);
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    PrintError("cannot write the report to stdout");
    return 1;
  }
  return 0;
}

}  // namespace switchyard::cli

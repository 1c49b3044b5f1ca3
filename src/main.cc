// switchyard: wiring only — flags to commands (cli/).
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/spend_command.h"

int main(int argc, char** argv) {
  CLI::App app{"switchyard: a self-hosted LLM gateway"};
  app.require_subcommand(1);

  switchyard::cli::ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand("serve", "run the gateway");
  serve->add_option("--config", serve_options.config_path, "YAML config file");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT, overriding the config");
  serve->add_flag("--demo", serve_options.demo, "also run simulated providers (no keys needed)");

  std::string check_path;
  CLI::App* check = app.add_subcommand("check-config", "validate a config file");
  check->add_option("file", check_path, "YAML config file")->required();

  CLI::App* version = app.add_subcommand("version", "print version and build");

  switchyard::cli::SpendOptions spend_options;
  CLI::App* spend = app.add_subcommand("spend", "read spend from the ledger");
  spend->add_option("--config", spend_options.config_path, "YAML config file naming the ledger");
  spend->add_option("--since", spend_options.since, "ISO-8601 start (inclusive)");
  spend->add_option("--until", spend_options.until, "ISO-8601 end (exclusive)");
  spend->add_option("--group-by", spend_options.group_by,
                    "key | model | provider | route | day | tag:NAME (default model)");
  spend->add_option("--format", spend_options.format, "table | csv | json (default table)");
  spend->add_option("--report", spend_options.report, "reconcile: per day, provider and model");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (serve->parsed()) return switchyard::cli::Serve(serve_options);
  if (check->parsed()) return switchyard::cli::CheckConfig(check_path);
  if (version->parsed()) return switchyard::cli::Version();
  if (spend->parsed()) return switchyard::cli::Spend(spend_options);
  return 2;
}

// switchyard: wiring only — flags to commands (cli/).
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/experiments_command.h"
#include "cli/keys_command.h"
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

  switchyard::cli::KeysOptions keys_options;
  CLI::App* keys = app.add_subcommand("keys", "manage virtual keys (through a running gateway, "
                                              "or the ledger's database when none runs)");
  keys->require_subcommand(1);
  keys->add_option("--config", keys_options.config_path, "YAML config file (ledger, admin_key)");
  keys->add_option("--format", keys_options.format, "table | json (default table)");
  keys->add_option("--url", keys_options.url,
                   "a running gateway's http://HOST:PORT (default: the config's listen)");
  CLI::App* create = keys->add_subcommand("create", "make a key; its secret is printed once");
  create->add_option("--name", keys_options.name, "shown in logs and the ledger")->required();
  create->add_option("--team", keys_options.team, "the key's team (team budgets and limits)");
  create->add_option("--tag", keys_options.tags, "KEY=VALUE (repeatable)");
  create->add_option("--model", keys_options.models,
                     "allowed model, route, provider/* (repeatable; none: all)");
  create->add_option("--budget-usd", keys_options.budget_usd, "budget in USD");
  create->add_option("--budget-period", keys_options.budget_period, "day | week | month | total");
  create->add_option("--budget-mode", keys_options.budget_mode, "hard | soft");
  create->add_option("--rpm", keys_options.rpm, "requests per minute");
  create->add_option("--input-tpm", keys_options.input_tpm, "input tokens per minute");
  create->add_option("--output-tpm", keys_options.output_tpm, "output tokens per minute");
  create->add_option("--expires-at", keys_options.expires_at, "RFC 3339 time");
  keys->add_subcommand("list", "every key, without secrets");
  for (const char* action : {"show", "rotate", "revoke"}) {
    CLI::App* sub = keys->add_subcommand(action, std::string(action) + " a key");
    sub->add_option("id", keys_options.id, "the key's id")->required();
  }

  switchyard::cli::ExperimentsOptions experiments_options;
  CLI::App* experiments = app.add_subcommand(
      "experiments", "the ab experiments' results, from the ledger's database (default: list)");
  experiments->add_option("--config", experiments_options.config_path,
                          "YAML config file naming the ledger");
  experiments->add_option("--epoch", experiments_options.epoch,
                          "show: the epoch (default: the current one)");
  experiments->add_option("--format", experiments_options.format, "table | json (default table)");
  experiments->add_flag("--demo", experiments_options.demo,
                        "also the routes of serve --demo (demo-ab's judge and test)");
  // fallthrough: the options above may also follow `list` or `show NAME`.
  experiments->add_subcommand("list", "one row per stored experiment epoch")->fallthrough();
  CLI::App* show_experiment =
      experiments->add_subcommand("show", "one experiment's variants, pairs and verdict");
  show_experiment->fallthrough();
  show_experiment->add_option("name", experiments_options.name, "the ab route")->required();

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
  if (keys->parsed()) {
    keys_options.action = keys->get_subcommands().front()->get_name();
    return switchyard::cli::Keys(keys_options);
  }
  if (experiments->parsed()) {
    const auto chosen = experiments->get_subcommands();
    experiments_options.action = chosen.empty() ? "list" : chosen.front()->get_name();
    return switchyard::cli::Experiments(experiments_options);
  }
  return 2;
}

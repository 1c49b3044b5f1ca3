// switchyard: wiring only — flags to commands (cli/).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (serve->parsed()) return switchyard::cli::Serve(serve_options);
  if (check->parsed()) return switchyard::cli::CheckConfig(check_path);
  if (version->parsed()) return switchyard::cli::Version();
  return 2;
}

// `switchyard experiments [list|show NAME]` (CONTRACT.md "Binary and commands", issue 17): the ab
// experiments' results read straight from the ledger's database the config names, so no gateway
// needs to run. `list` prints one row per stored epoch (route, epoch, status, started, verdict);
// `show NAME` the epoch's variants, its pairs and the verdict (gateway/experiment_report.h), as a
// table or as the admin API's JSON. Errors go to stderr as one sentence.
#pragma once

#include <string>

namespace switchyard::cli {

struct ExperimentsOptions {
  std::string action;       // list | show; empty: list
  std::string name;         // show: the ab route
  std::string config_path;  // empty: the embedded defaults' ledger
  std::string epoch;        // show: the epoch; empty: the current one
  std::string format;       // table | json; empty: table
  bool demo = false;        // the config plus `serve --demo`'s routes (demo-ab's judge)
};

// Returns the exit code: 0 ok; 2 bad usage or config, or an unknown route or epoch; 1 runtime
// failure (the database cannot be opened or read).
int Experiments(const ExperimentsOptions& options);

}  // namespace switchyard::cli

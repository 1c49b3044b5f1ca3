// `switchyard keys create|list|show|rotate|revoke` (CONTRACT.md "Governance"): virtual keys from
// the command line. With a gateway running at the config's `listen` address and an `admin_key`,
// the command goes through its admin API (the gateway sees the change at once, its audit entry
// says admin-api); when none answers there, it writes the ledger's database directly (actor
// "cli"), and running gateways see the change within `governance.refresh_ms`. The secret of a new
// or rotated key is printed once, on stdout.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::cli {

struct KeysOptions {
  std::string action;       // create | list | show | rotate | revoke
  std::string config_path;  // empty: the embedded defaults
  std::string url;          // a running gateway's http://HOST:PORT; empty: the config's listen
  std::string id;           // show, rotate, revoke
  std::string name, team;
  std::vector<std::string> tags;    // KEY=VALUE
  std::vector<std::string> models;
  std::string budget_usd, budget_period, budget_mode;
  std::optional<long long> rpm, input_tpm, output_tpm;
  std::string expires_at;
  std::string format;       // table | json; empty: table
};

int Keys(const KeysOptions& options);

}  // namespace switchyard::cli

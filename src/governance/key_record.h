// KeyRecord: one gateway key as the governance sees it — a config file's `keys:` entry or a virtual
// key from the ledger's database — without its secret. Immutable once built: a change makes a new
// record (the key registry swaps whole snapshots).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "config/governance_config.h"

namespace switchyard::governance {

struct KeyRecord {
  std::string id;      // a virtual key's "key_…"; a config key's "config:NAME"
  std::string name;    // shows in logs and the ledger instead of the key
  std::string prefix;  // a virtual key's first characters; empty for config keys
  bool from_config = false;
  config::KeyPolicy policy;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::optional<std::int64_t> revoked_ms;

  bool expired(std::chrono::system_clock::time_point now) const {
    return policy.expires_at && now >= *policy.expires_at;
  }
  bool revoked() const { return revoked_ms.has_value(); }
};

}  // namespace switchyard::governance

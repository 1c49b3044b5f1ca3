// GovernanceStore: the governance's rows in the ledger's database (schema version 2,
// migrations/v2_governance.cc) — virtual keys (hashed), budgets above keys, the audit log, and the
// spend per key and UTC day that rebuilds the budgets' counters at start. One implementation per
// backend (sqlite/sqlite_governance_store.h, postgres/postgres_governance_store.h), opened by
// ledger_factory.h.
//
// The ledger stores policies as opaque JSON documents; governance/ reads and writes them. Every
// change of a key or budget is one transaction together with its audit entry and an increment of
// the governance revision, which other gateways poll (Revision()) to see the change.
//
// Implementations are thread-safe (a mutex around one connection); each call runs synchronously —
// keep it off the request path's event loops (the admin API runs it on the blocking pool, the key
// registry on its own refresh thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace switchyard::ledger {

struct StoredKey {
  std::string id;           // "key_…", never secret
  std::string key_hash;     // hex SHA-256 of the secret
  std::string prefix;       // the secret's first characters, to tell keys apart in listings
  std::string policy_json;  // name, team, tags, models, budget, limits, expires_at
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

struct StoredBudget {
  std::string id;           // the scope, e.g. "global", "team:search", "tag:env=prod"
  std::string policy_json;  // usd, period, mode
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// One admin action (CONTRACT.md: `GET /admin/audit`): who, what, when, before and after — JSON
// documents without secrets; empty when there is none (a creation has no before).
struct AuditEntry {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::int64_t time_ms = 0;
  std::string actor;   // "admin-api", "cli", "config"
  std::string action;  // "key.create", "key.update", "key.rotate", "key.revoke", "budget.put", ...
  std::string target;  // the key's id or the budget's scope
  std::string before_json;
  std::string after_json;
};

// Spend of the calls of one key (empty: calls without a key) and team on one UTC day.
struct KeyDaySpend {
  std::string key_id;
  std::string team;
  std::int64_t day = 0;         // days since the epoch, UTC
  std::int64_t cost_nanos = 0;  // the known costs of the calls' attempts
  std::int64_t unpriced_attempts = 0;
};

class GovernanceStore {
 public:
  virtual ~GovernanceStore() = default;

  // Inserts `key` (a new id and hash) or, when `replace` is set, rewrites the row of its id, with
  // `audit` in the same transaction. A duplicate id or hash on insert is a Conflict error.
  virtual Status WriteKey(const StoredKey& key, bool replace, const AuditEntry& audit) = 0;
  virtual Result<std::vector<StoredKey>> Keys() = 0;  // revoked ones too, by creation

  // Upserts a budget by its id (`usd` and so on in `policy_json`) or, with an empty `policy_json`,
  // deletes it; with `audit`, in one transaction.
  virtual Status WriteBudget(const StoredBudget& budget, const AuditEntry& audit) = 0;
  virtual Result<std::vector<StoredBudget>> Budgets() = 0;

  // A number that grows with every WriteKey and WriteBudget, from any process.
  virtual Result<std::int64_t> Revision() = 0;

  // Audit entries with seq > `after`, oldest first, at most `limit`.
  virtual Result<std::vector<AuditEntry>> Audit(std::int64_t after, int limit) = 0;

  // The spend of every (key, team, UTC day) with calls in the ledger at or after `since_ms`.
  virtual Result<std::vector<KeyDaySpend>> SpendByKeyAndDay(std::int64_t since_ms) = 0;
};

}  // namespace switchyard::ledger

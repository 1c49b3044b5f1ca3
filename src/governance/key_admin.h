// KeyAdmin: the changes an administrator makes to virtual keys and budgets — create, update,
// rotate, revoke; put and delete a budget — each written to the ledger's database in one
// transaction with its audit entry (who, what, when, before and after, never a secret). The admin
// API (gateway/admin_endpoints.cc) and `switchyard keys` (when no gateway runs) both go through it.
// Keys of the config file are not here: they change with the file.
//
// Synchronous (it writes the database): run it off the event loops.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "core/result.h"
#include "governance/key_record.h"
#include "ledger/governance_store.h"

namespace switchyard::governance {

struct CreatedKey {
  KeyRecord record;
  std::string secret;  // shown once, never stored
};

class KeyAdmin {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  KeyAdmin(ledger::GovernanceStore& store, std::string actor,
           Clock clock = [] { return std::chrono::system_clock::now(); });

  Result<CreatedKey> Create(const boost::json::object& fields);
  Result<KeyRecord> Update(const std::string& id, const boost::json::object& fields);
  Result<CreatedKey> Rotate(const std::string& id);  // a new secret; the old one stops at once
  Result<KeyRecord> Revoke(const std::string& id);
  Result<KeyRecord> Find(const std::string& id);
  Result<std::vector<KeyRecord>> List();

  Result<config::ScopedBudget> PutBudget(const boost::json::object& fields);
  Status DeleteBudget(const std::string& scope);

 private:
  Result<ledger::StoredKey> Stored(const std::string& id);
  ledger::AuditEntry Audit(std::string action, std::string target, std::string before,
                           std::string after) const;
  std::int64_t NowMs() const;

  ledger::GovernanceStore& store_;
  const std::string actor_;
  Clock clock_;
};

}  // namespace switchyard::governance

// KeyRegistry: every gateway key and budget the gateway knows, as one immutable snapshot that
// calls read without waiting — the config file's `keys:` and `governance.budgets`, and the virtual
// keys and budgets in the ledger's database. A refresh thread polls the database's governance
// revision every `governance.refresh_ms` (250 ms by default) and swaps in a new snapshot when it
// moved, so a key made, changed or revoked by another gateway or by `switchyard keys` takes effect
// here within that time; a change made through this gateway's admin API is in at once (Reload).
//
// Thread-safe. The snapshot pointer is swapped under a mutex held only for the copy of a
// shared_ptr.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "config/config.h"
#include "governance/key_record.h"
#include "ledger/governance_store.h"

namespace switchyard::governance {

struct KeySnapshot {
  std::unordered_map<std::string, std::shared_ptr<const KeyRecord>> by_hash;  // revoked ones too
  std::map<std::string, std::shared_ptr<const KeyRecord>> by_id;
  // Budgets above keys: the config's, with the admin API's replacing one of the same scope.
  std::vector<config::ScopedBudget> budgets;
  std::set<std::string> admin_budgets;  // scopes of `budgets` that came from the admin API
  bool any_key = false;                 // once true, a call without a key is refused
  std::int64_t revision = -1;           // the database's governance revision it was read at
};

class KeyRegistry {
 public:
  // `store` may be null (no ledger): then only the config's keys and budgets exist.
  KeyRegistry(const config::Config& config, ledger::GovernanceStore* store);
  ~KeyRegistry();
  KeyRegistry(const KeyRegistry&) = delete;

  // Reads the database now and swaps in the new snapshot. Fails on a database error (the
  // snapshot stays as it was).
  Status Reload();
  // Starts the refresh thread (after the first Reload succeeded).
  void StartRefreshing();
  void Stop();

  std::shared_ptr<const KeySnapshot> snapshot() const;
  // What the request path asks first, without copying the snapshot: whether any key exists, and
  // whether any budget above keys does.
  bool any_key() const { return any_key_.load(std::memory_order_acquire); }
  bool any_scoped_budget() const { return any_scoped_budget_.load(std::memory_order_acquire); }
  ledger::GovernanceStore* store() const { return store_; }

 private:
  void RefreshLoop();
  Result<std::shared_ptr<const KeySnapshot>> Read(std::int64_t revision) const;

  const config::Config& config_;
  ledger::GovernanceStore* const store_;
  std::vector<std::shared_ptr<const KeyRecord>> config_keys_;  // hashed once, at construction
  std::vector<std::string> config_hashes_;

  mutable std::mutex mutex_;
  std::shared_ptr<const KeySnapshot> snapshot_;  // GUARDED_BY(mutex_)
  std::atomic<bool> any_key_{false};
  std::atomic<bool> any_scoped_budget_{false};
  void Swap(std::shared_ptr<const KeySnapshot> next);  // call under mutex_
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread refresher_;
};

// A stored key's record (its policy document parsed); an error when the document is not one.
Result<KeyRecord> RecordOfStoredKey(const ledger::StoredKey& stored);

}  // namespace switchyard::governance

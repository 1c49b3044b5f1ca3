#include "governance/key_registry.h"

#include <spdlog/spdlog.h>

#include "governance/key_secret.h"
#include "governance/policy_json.h"

namespace switchyard::governance {

Result<KeyRecord> RecordOfStoredKey(const ledger::StoredKey& stored) {
  KeyRecord record;
  record.id = stored.id;
  record.prefix = stored.prefix;
  record.created_ms = stored.created_ms;
  record.updated_ms = stored.updated_ms;
  record.revoked_ms = stored.revoked_ms;
  auto doc = ParseObject(stored.policy_json, "a stored key's policy");
  if (!doc) return doc.error();
  if (Status applied = ApplyKeyFields(*doc, /*require_name=*/true, &record.name, &record.policy);
      !applied.ok()) {
    return applied.error();
  }
  return record;
}

KeyRegistry::KeyRegistry(const config::Config& config, ledger::GovernanceStore* store)
    : config_(config), store_(store) {
  for (const config::GatewayKey& key : config.keys) {
    auto record = std::make_shared<KeyRecord>();
    record->id = "config:" + key.name;
    record->name = key.name;
    record->from_config = true;
    record->policy = key.policy;
    config_keys_.push_back(std::move(record));
    config_hashes_.push_back(HashKey(key.key.reveal()));
  }
  auto first = Read(-1);  // the config's part; the database's comes with Reload
  Swap(first ? *first : std::make_shared<const KeySnapshot>());
}

KeyRegistry::~KeyRegistry() { Stop(); }

Result<std::shared_ptr<const KeySnapshot>> KeyRegistry::Read(std::int64_t revision) const {
  auto snapshot = std::make_shared<KeySnapshot>();
  snapshot->revision = revision;
  for (std::size_t i = 0; i < config_keys_.size(); ++i) {
    snapshot->by_hash[config_hashes_[i]] = config_keys_[i];
    snapshot->by_id[config_keys_[i]->id] = config_keys_[i];
  }
  std::map<std::string, config::ScopedBudget> budgets;
  for (const config::ScopedBudget& budget : config_.governance.budgets) budgets[budget.scope] = budget;
  if (store_ != nullptr && revision >= 0) {
    auto keys = store_->Keys();
    if (!keys) return keys.error();
    for (const ledger::StoredKey& stored : *keys) {
      auto record = RecordOfStoredKey(stored);
      if (!record) {
        spdlog::warn("virtual key {} is unreadable and refused: {}", stored.id,
                     record.error().message);
        continue;
      }
      auto shared = std::make_shared<const KeyRecord>(std::move(*record));
      snapshot->by_hash[stored.key_hash] = shared;
      snapshot->by_id[stored.id] = shared;
    }
    auto stored_budgets = store_->Budgets();
    if (!stored_budgets) return stored_budgets.error();
    for (const ledger::StoredBudget& stored : *stored_budgets) {
      auto limit = ReadBudgetDocument(stored.policy_json);
      if (!limit) {
        spdlog::warn("budget {} is unreadable and ignored: {}", stored.id, limit.error().message);
        continue;
      }
      budgets[stored.id] = {stored.id, *limit};
      snapshot->admin_budgets.insert(stored.id);
    }
  }
  for (auto& [scope, budget] : budgets) snapshot->budgets.push_back(std::move(budget));
  snapshot->any_key = !snapshot->by_id.empty();
  return std::shared_ptr<const KeySnapshot>(std::move(snapshot));
}

Status KeyRegistry::Reload() {
  if (store_ == nullptr) return {};
  auto revision = store_->Revision();
  if (!revision) return revision.error();
  auto next = Read(*revision);
  if (!next) return next.error();
  std::lock_guard lock(mutex_);
  Swap(std::move(*next));
  return {};
}

void KeyRegistry::Swap(std::shared_ptr<const KeySnapshot> next) {
  any_key_.store(next->any_key, std::memory_order_release);
  any_scoped_budget_.store(!next->budgets.empty(), std::memory_order_release);
  snapshot_ = std::move(next);
}

void KeyRegistry::StartRefreshing() {
  if (store_ == nullptr || refresher_.joinable()) return;
  refresher_ = std::thread([this] { RefreshLoop(); });
}

void KeyRegistry::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

std::shared_ptr<const KeySnapshot> KeyRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void KeyRegistry::RefreshLoop() {
  bool warned = false;  // one log line per outage, not one per poll
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, config_.governance.refresh, [this] { return stopping_; });
    if (stopping_) break;
    const std::int64_t known = snapshot_->revision;
    lock.unlock();
    Status refreshed;
    auto revision = store_->Revision();
    if (!revision) {
      refreshed = revision.error();
    } else if (*revision != known) {
      refreshed = Reload();
    }
    if (!refreshed.ok() && !warned) {
      spdlog::warn("cannot refresh the gateway keys from the ledger (the keys as last read stay in "
                   "force): {}", refreshed.error().message);
    }
    warned = !refreshed.ok();
    lock.lock();
  }
}

}  // namespace switchyard::governance

#include "governance/key_admin.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "governance/key_registry.h"
#include "governance/key_secret.h"
#include "governance/policy_json.h"
#include "ledger/ledger_time.h"

namespace switchyard::governance {
namespace json = boost::json;
namespace {

std::string ViewText(const KeyRecord& record) { return SerializeView(KeyView(record)); }

Error NoSuchKey(const std::string& id) {
  return Error::NotFound(fmt::format("there is no virtual key '{}'", id.substr(0, 80)));
}

}  // namespace

KeyAdmin::KeyAdmin(ledger::GovernanceStore& store, std::string actor, Clock clock)
    : store_(store), actor_(std::move(actor)), clock_(std::move(clock)) {}

std::int64_t KeyAdmin::NowMs() const { return ledger::ToEpochMillis(clock_()); }

ledger::AuditEntry KeyAdmin::Audit(std::string action, std::string target, std::string before,
                                   std::string after) const {
  ledger::AuditEntry entry;
  entry.time_ms = NowMs();
  entry.actor = actor_;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.before_json = std::move(before);
  entry.after_json = std::move(after);
  return entry;
}

Result<ledger::StoredKey> KeyAdmin::Stored(const std::string& id) {
  auto keys = store_.Keys();
  if (!keys) return keys.error();
  for (ledger::StoredKey& key : *keys) {
    if (key.id == id) return std::move(key);
  }
  return NoSuchKey(id);
}

Result<CreatedKey> KeyAdmin::Create(const json::object& fields) {
  CreatedKey created;
  KeyRecord& record = created.record;
  if (Status read = ApplyKeyFields(fields, /*require_name=*/true, &record.name, &record.policy);
      !read.ok()) {
    return read.error();
  }
  auto id = NewKeyId();
  if (!id) return id.error();
  auto secret = NewKeySecret();
  if (!secret) return secret.error();
  record.id = std::move(*id);
  created.secret = std::move(*secret);
  record.prefix = KeyPrefix(created.secret);
  record.created_ms = record.updated_ms = NowMs();
  ledger::StoredKey stored{record.id, HashKey(created.secret), record.prefix,
                           PolicyDocument(record.name, record.policy), record.created_ms,
                           record.updated_ms, std::nullopt};
  Status written =
      store_.WriteKey(stored, /*replace=*/false, Audit("key.create", record.id, "", ViewText(record)));
  if (!written.ok()) return written.error();
  return created;
}

Result<KeyRecord> KeyAdmin::Update(const std::string& id, const json::object& fields) {
  auto stored = Stored(id);
  if (!stored) return stored.error();
  auto before = RecordOfStoredKey(*stored);
  if (!before) return before.error();
  if (before->revoked()) return Error::Conflict(fmt::format("the key {} is revoked", id));
  KeyRecord after = *before;
  if (Status read = ApplyKeyFields(fields, /*require_name=*/false, &after.name, &after.policy);
      !read.ok()) {
    return read.error();
  }
  // Strictly later, so that every change moves the row's time.
  after.updated_ms = std::max(NowMs(), before->updated_ms + 1);
  stored->policy_json = PolicyDocument(after.name, after.policy);
  stored->updated_ms = after.updated_ms;
  Status written = store_.WriteKey(
      *stored, /*replace=*/true, Audit("key.update", id, ViewText(*before), ViewText(after)));
  if (!written.ok()) return written.error();
  return after;
}

Result<CreatedKey> KeyAdmin::Rotate(const std::string& id) {
  auto stored = Stored(id);
  if (!stored) return stored.error();
  auto before = RecordOfStoredKey(*stored);
  if (!before) return before.error();
  if (before->revoked()) return Error::Conflict(fmt::format("the key {} is revoked", id));
  auto secret = NewKeySecret();
  if (!secret) return secret.error();
  CreatedKey rotated{*before, std::move(*secret)};
  rotated.record.prefix = KeyPrefix(rotated.secret);
  rotated.record.updated_ms = std::max(NowMs(), before->updated_ms + 1);
  stored->key_hash = HashKey(rotated.secret);
  stored->prefix = rotated.record.prefix;
  stored->updated_ms = rotated.record.updated_ms;
  Status written = store_.WriteKey(*stored, /*replace=*/true,
                                   Audit("key.rotate", id, ViewText(*before),
                                         ViewText(rotated.record)));
  if (!written.ok()) return written.error();
  return rotated;
}

Result<KeyRecord> KeyAdmin::Revoke(const std::string& id) {
  auto stored = Stored(id);
  if (!stored) return stored.error();
  auto before = RecordOfStoredKey(*stored);
  if (!before) return before.error();
  if (before->revoked()) return *before;  // revoking twice changes nothing
  KeyRecord after = *before;
  after.updated_ms = std::max(NowMs(), before->updated_ms + 1);
  after.revoked_ms = after.updated_ms;
  stored->updated_ms = after.updated_ms;
  stored->revoked_ms = after.revoked_ms;
  Status written = store_.WriteKey(
      *stored, /*replace=*/true, Audit("key.revoke", id, ViewText(*before), ViewText(after)));
  if (!written.ok()) return written.error();
  return after;
}

Result<KeyRecord> KeyAdmin::Find(const std::string& id) {
  auto stored = Stored(id);
  if (!stored) return stored.error();
  return RecordOfStoredKey(*stored);
}

Result<std::vector<KeyRecord>> KeyAdmin::List() {
  auto keys = store_.Keys();
  if (!keys) return keys.error();
  std::vector<KeyRecord> records;
  for (const ledger::StoredKey& stored : *keys) {
    auto record = RecordOfStoredKey(stored);
    if (record) records.push_back(std::move(*record));
  }
  return records;
}

Result<config::ScopedBudget> KeyAdmin::PutBudget(const json::object& fields) {
  auto budget = ReadScopedBudget(fields);
  if (!budget) return budget.error();
  std::string before;
  auto existing = store_.Budgets();
  if (!existing) return existing.error();
  for (const ledger::StoredBudget& stored : *existing) {
    if (stored.id == budget->scope) before = stored.policy_json;
  }
  const std::int64_t now = NowMs();
  const std::string doc = BudgetDocument(budget->limit);
  Status written = store_.WriteBudget({budget->scope, doc, now, now},
                                      Audit("budget.put", budget->scope, before, doc));
  if (!written.ok()) return written.error();
  return budget;
}

Status KeyAdmin::DeleteBudget(const std::string& scope) {
  std::string before;
  auto existing = store_.Budgets();
  if (!existing) return existing.error();
  for (const ledger::StoredBudget& stored : *existing) {
    if (stored.id == scope) before = stored.policy_json;
  }
  if (before.empty()) {
    return Error::NotFound(fmt::format("there is no budget '{}' set through the admin API",
                                       scope.substr(0, 80)));
  }
  const std::int64_t now = NowMs();
  return store_.WriteBudget({scope, "", now, now}, Audit("budget.delete", scope, before, ""));
}

}  // namespace switchyard::governance

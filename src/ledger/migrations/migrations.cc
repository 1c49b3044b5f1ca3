#include "ledger/migrations/migrations.h"

#include <array>

#include "ledger/migrations/steps.h"
#include "ledger/schema_version.h"

namespace switchyard::ledger {

std::span<const Migration> LedgerMigrations() {
  static const std::array<Migration, 5> kSteps = {kCallsAndAttempts, kGovernance, kCache,
                                                  kGuardrails, kExperiments};
  static_assert(kSteps.size() == kLedgerSchemaVersion, "one step per schema version");
  return kSteps;
}

}  // namespace switchyard::ledger

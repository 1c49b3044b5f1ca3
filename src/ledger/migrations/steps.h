// The migration steps, one file each (v1_calls_and_attempts.cc, v2_governance.cc, v3_cache.cc,
// v4_guardrails.cc, v5_experiments.cc); listed in order by migrations.cc.
#pragma once

#include "ledger/migrations/migrations.h"

namespace switchyard::ledger {

extern const Migration kCallsAndAttempts;  // version 1
extern const Migration kGovernance;        // version 2
extern const Migration kCache;             // version 3
extern const Migration kGuardrails;        // version 4
extern const Migration kExperiments;       // version 5

}  // namespace switchyard::ledger

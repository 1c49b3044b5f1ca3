#include "ledger/migrations/steps.h"

namespace switchyard::ledger {

// Version 4: the guardrails (CONTRACT.md "Guardrails"). A call records the guardrails that fired on
// it, "name:action" comma-separated in the order they fired; '' when none did (and for every call
// stored before this version).
const Migration kGuardrails = {
    4, "guardrails: the guardrails that fired on a call",
    R"sql(
ALTER TABLE calls ADD COLUMN guardrails TEXT NOT NULL DEFAULT '';
)sql",
    R"sql(
ALTER TABLE calls ADD COLUMN guardrails text NOT NULL DEFAULT '';
)sql"};

}  // namespace switchyard::ledger

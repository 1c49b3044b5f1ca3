#include "ledger/migrations/steps.h"

namespace switchyard::ledger {

// Version 3: the response cache (CONTRACT.md "Cache"). An attempt of kind `cache` costs nothing and
// records what the answer it replayed had cost — the spend it saved — so that spend reports show
// savings next to cost. (The calls' `cache` column, "hit" | "semantic-hit" | "miss" | "refresh",
// was in version 1 already.)
const Migration kCache = {
    3, "cache: the spend a cached answer saved",
    R"sql(
ALTER TABLE attempts ADD COLUMN saved_nanos INTEGER;
)sql",
    R"sql(
ALTER TABLE attempts ADD COLUMN saved_nanos bigint;
)sql"};

}  // namespace switchyard::ledger

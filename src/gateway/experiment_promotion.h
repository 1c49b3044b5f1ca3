// When an experiment with `promote.enabled` is promoted (issue 17, "Optional promotion"): its
// current epoch's report (gateway/experiment_report.h) read from the store, and the variant
// experiments::PromotionChoice picks once the verdict has reached the configured confidence; the
// decision is stored with its evidence — the verdict in words, the calls and judgements it rests
// on, each pair's counts and decision. The registry's refresh thread runs it.
#pragma once

#include "gateway/experiment_registry.h"
#include "ledger/experiment_store.h"

namespace switchyard::gateway {

// `store` must outlive the check.
ExperimentRegistry::PromotionCheck PromotionFromReports(ledger::ExperimentStore* store);

}  // namespace switchyard::gateway

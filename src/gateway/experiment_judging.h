// An `ab` experiment's judging of one sampled call (issue 17, "Judging"), run in the worker's
// background once the client has its answer, so it never delays the client:
//   pairwise: the same request goes to another variant (a shadow attempt: the control when a
//             challenger served, else one challenger picked by the request id), and the judge
//             compares the two answers in both orders (A as Answer 1, then B as Answer 1); a win
//             counts only when both orders agree, anything else is a tie;
//   score:    the judge scores the served answer against the rubric.
// A malformed verdict is asked once more and then recorded as invalid, never guessed. Every
// exchange is an attempt of the call (kind shadow / judge), priced, appended to it in the ledger
// with the judgement (ledger::CallRecord::late).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "canonical/chat.h"
#include "core/asio.h"
#include "gateway/experiment_registry.h"
#include "gateway/gateway_state.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

// What a sampled call hands to its judging: copies, since the call is gone by the time it runs.
struct JudgingTicket {
  std::shared_ptr<const LiveExperiment> experiment;
  std::shared_ptr<const routing::Plan> plan;  // the ab route's: its steps are the variants
  std::size_t served = 0;                     // the variant (step) that answered the client
  std::string request_id;
  std::chrono::system_clock::time_point call_time;
  int next_attempt = 1;            // the number of the call's first late attempt
  canonical::ChatRequest request;  // not streamed
  canonical::ChatResponse answer;  // what the client got
  // The keys the call would use at the shadow's and the judge's targets (a per-call override
  // included); never logged.
  std::string shadow_key;
  std::string judge_key;
  const routing::PlannedTarget* shadow_target = nullptr;  // pairwise; null in score mode
  std::size_t shadow_variant = 0;
  const routing::PlannedTarget* judge_target = nullptr;
};

// The variant a pairwise judgement compares the served one with: the control (0) when a
// challenger served; else a challenger picked evenly by the request id.
std::size_t ShadowVariant(std::size_t variants, std::size_t served, std::string_view epoch,
                          std::string_view request_id);

// Runs the judging, records it and releases the experiment's judging slot
// (ExperimentRegistry::FinishJudging).
Task<> JudgeInBackground(Worker& worker, JudgingTicket ticket);

}  // namespace switchyard::gateway

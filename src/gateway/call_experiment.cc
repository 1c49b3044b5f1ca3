#include "gateway/call_experiment.h"

#include "experiments/assignment.h"
#include "gateway/client_request.h"
#include "gateway/experiment_judging.h"
#include "routing/strategy_support.h"

namespace switchyard::gateway {
namespace {

// A judged answer is kept in canonical form up to this size; a longer one is not judged.
constexpr std::size_t kJudgedAnswerBytes = 4 * 1024 * 1024;

}  // namespace

void CallExperiment::Assign(std::shared_ptr<const routing::Plan> plan,
                            const governance::KeyRecord& key, routing::RequestFeatures& features,
                            CallRequest& call_request) {
  if (plan == nullptr || plan->epoch.empty()) return;
  experiment_ = worker_.state.experiments->Find(plan->route);
  if (!experiment_) return;
  plan_ = std::move(plan);
  // One user, one variant: the sticky metadata value, else the key (every call of a key sees one
  // variant), else — a keyless call on loopback — the call itself.
  std::string_view unit = call_.request_id();
  if (!key.id.empty()) unit = key.id;
  const std::string& sticky = plan_->sticky;
  if (auto value = features.metadata.find(sticky);
      !sticky.empty() && value != features.metadata.end()) {
    unit = value->second;
  }
  const std::optional<std::size_t> variant =
      experiments::AssignVariant(experiment_->shares, experiment_->epoch, unit);
  variant_ = variant.value_or(0);
  features.variant = variant_;
  // A token count or an embedding goes to the user's variant too, but is not an answer the
  // experiment compares.
  if (call_request.passthrough.operation != providers::Operation::kChatCompletions) return;
  ledger::CallRecord& record = call_.record();
  record.variant = experiment_->experiment().variants[variant_].name;
  record.epoch = experiment_->epoch;
  sampled_ = experiment_->judging() &&
             experiments::InSample(experiment_->sample, experiment_->epoch, call_.request_id());
  if (sampled_) {
    call_request.capture_bytes = std::max(call_request.capture_bytes, kJudgedAnswerBytes);
  }
}

void CallExperiment::AfterAnswer(const AttemptResult& result, const CallRequest& call_request) {
  if (!sampled_ || !result.committed || result.error || !result.answer) return;
  auto canonical = call_request.Canonical();
  if (!canonical) return;
  const config::ExperimentJudge& judge = *experiment_->experiment().judge;
  const GatewayState& state = worker_.state;
  auto judge_target = state.experiment_judges.find(experiment_->route->name);
  if (judge_target == state.experiment_judges.end()) return;
  JudgingTicket ticket;
  ticket.judge_target = judge_target->second;
  if (judge.mode == "pairwise") {
    ticket.shadow_variant =
        ShadowVariant(plan_->steps.size(), variant_, experiment_->epoch, call_.request_id());
    const std::vector<const routing::PlannedTarget*> leaves =
        routing::internal::StepLeaves(plan_->steps[ticket.shadow_variant]);
    if (leaves.empty() || ticket.shadow_variant == variant_) return;
    ticket.shadow_target = leaves.front();
    ticket.shadow_key = std::string(ApiKeyFor(call_.request(), *ticket.shadow_target));
  }
  if (!state.experiments->BeginJudging(experiment_->route->name)) return;
  ticket.experiment = experiment_;
  ticket.plan = plan_;
  ticket.served = variant_;
  ticket.request_id = call_.request_id();
  ticket.call_time = call_.record().time;
  ticket.next_attempt = static_cast<int>(call_.record().attempts.size()) + 1;
  ticket.request = **canonical;
  ticket.request.stream = false;
  ticket.answer = *result.answer;
  ticket.judge_key = std::string(ApiKeyFor(call_.request(), *ticket.judge_target));
  const std::string route = experiment_->route->name;
  if (!worker_.background.Spawn(worker_.io.get_executor(),
                                JudgeInBackground(worker_, std::move(ticket)))) {
    state.experiments->FinishJudging(route, std::nullopt);  // the gateway is stopping
  }
}

}  // namespace switchyard::gateway

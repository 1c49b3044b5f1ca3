#include "gateway/call_attempts.h"

#include <boost/asio/this_coro.hpp>

#include "gateway/acceptance.h"
#include "gateway/client_request.h"
#include "http/retry_after.h"

namespace switchyard::gateway {
namespace {

ledger::AttemptKind LedgerKind(routing::AttemptKind kind) {
  switch (kind) {
    case routing::AttemptKind::kPrimary: return ledger::AttemptKind::kPrimary;
    case routing::AttemptKind::kRetry: return ledger::AttemptKind::kRetry;
    case routing::AttemptKind::kFallback: return ledger::AttemptKind::kFallback;
    case routing::AttemptKind::kRace: return ledger::AttemptKind::kRace;
    case routing::AttemptKind::kHedge: return ledger::AttemptKind::kHedge;
  }
  return ledger::AttemptKind::kPrimary;
}

routing::FailureClass FailureClassOf(providers::ErrorClass error_class) {
  switch (error_class) {
    case providers::ErrorClass::kRetryable: return routing::FailureClass::kRetryable;
    case providers::ErrorClass::kFallBack: return routing::FailureClass::kFallBack;
    case providers::ErrorClass::kFatal: return routing::FailureClass::kFatal;
  }
  return routing::FailureClass::kFatal;
}

// How long the provider asked us to wait: its retry-after (seconds or an HTTP-date), else on a 429
// the reset time of its exhausted rate limit.
routing::ProviderWait ProviderWaitOf(const AttemptResult& result,
                                     std::chrono::system_clock::time_point now) {
  if (!result.retry_after.empty()) return {true, http::ParseRetryAfter(result.retry_after, now)};
  if (result.rate_limit_reset) return {true, result.rate_limit_reset};
  return {};
}

// An attempt the model's rate limit kept from being sent: nothing reached the provider, nothing
// was spent; the router moves on as after a provider's 429, waiting `retry-after` for this target.
AttemptResult NotSent(const AttemptInput& input, governance::Refusal refusal) {
  AttemptResult result;
  result.record.n = input.record_n;
  result.record.kind = input.kind;
  result.record.provider = input.target->provider->config->name;
  result.record.model = input.target->model;
  result.record.outcome = ledger::AttemptOutcome::kRateLimited;
  result.record.http_status = refusal.error.http_status;
  result.record.reason = refusal.error.message;
  result.record.cost_nanos = 0;
  for (const auto& [name, value] : refusal.headers) {
    if (name == "retry-after") result.retry_after = value;
  }
  result.error = std::move(refusal.error);
  result.error_class = providers::ErrorClass::kFallBack;
  return result;
}

}  // namespace

routing::AttemptReport ReportOf(const AttemptResult& result,
                                std::chrono::system_clock::time_point now) {
  routing::AttemptReport report;
  report.answered = !result.error;
  report.committed = result.committed;
  if (result.error) report.error = result.error->kind;
  report.failure = FailureClassOf(result.error_class);
  report.context_length = result.context_length;
  report.http_status = result.record.http_status;
  report.provider_wait = ProviderWaitOf(result, now);
  report.latency = std::chrono::milliseconds(result.record.latency_ms);
  if (result.record.ttft_ms) report.ttft = std::chrono::milliseconds(*result.record.ttft_ms);
  return report;
}

bool CallAttempts::ReachesProvider(const routing::PlannedTarget& target) const {
  return call_request_.PathTo(target.provider->adapter->wire_format()) !=
         AttemptPath::kTokenEstimate;
}

CallAttempts::CallAttempts(Worker& worker, Call& call, http::Downstream& downstream,
                           const http::IncomingRequest& request, const CallRequest& call_request)
    : worker_(worker), call_(call), downstream_(downstream), request_(request),
      call_request_(call_request), watch_(downstream) {
  call_.set_others_in_flight([this] { return WaitForOthers(); });
}

// GCC 12 false positive on this coroutine's frame: inlining Asio's frame allocation it pairs
// awaitable_frame_base's operator new (aligned_alloc) with its sized operator delete (which frees
// it with the matching aligned_delete) and reports them mismatched. Only here, only that warning.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<routing::AttemptReport> CallAttempts::Run(const routing::AttemptOrder& order) {
  AttemptInput input{&call_request_,        order.target, ApiKeyFor(request_, *order.target),
                     order.n,               order.n + attempts_before_,
                     LedgerKind(order.kind), order.time_left, order.commit};
  input.watch = &watch_;
  input.racing = order.race != nullptr;
  input.check = CheckFor(order.race);
  call_.NoteAttemptStarted();
  ++running_;
  std::optional<governance::Refusal> refused = co_await ModelLimitRefusal(input);
  AttemptResult result;
  if (refused) {
    result = NotSent(input, std::move(*refused));
  } else {
    result = co_await RunAttempt(worker_, call_, downstream_, input);
    co_await CountModelTokens(input, result.record.usage);
  }
  --running_;
  if (ended_) ended_->cancel();
  NoteDeadlineCut(order, result);
  call_.record().attempts.push_back(result.record);
  routing::AttemptReport report = ReportOf(result, std::chrono::system_clock::now());
  if (result.committed) {
    answer_ = std::move(result);
  } else {
    last_ = std::move(result);
  }
  co_return report;
}
#pragma GCC diagnostic pop

Task<std::optional<governance::Refusal>> CallAttempts::ModelLimitRefusal(const AttemptInput& input) {
  governance::Governor& governor = *worker_.state.governor;
  if (!governor.has_model_limits() || !ReachesProvider(*input.target)) co_return std::nullopt;
  co_return co_await governor.TakeModelLimits(input.target->key, input_estimate_);
}

Task<> CallAttempts::CountModelTokens(const AttemptInput& input, const canonical::Usage& usage) {
  governance::Governor& governor = *worker_.state.governor;
  if (!governor.has_model_limits() || !ReachesProvider(*input.target)) co_return;
  co_await governor.CountModelTokens(input.target->key, input_estimate_, usage);
}

Task<> CallAttempts::WaitForOthers() {
  if (!ended_) ended_.emplace(co_await net::this_coro::executor);
  while (running_ > 1) {
    ended_->expires_at(net::steady_timer::time_point::max());
    co_await ended_->async_wait(kUseTuple);
  }
}

Status CallAttempts::PrepareChecks(const routing::Plan& plan) {
  if (plan.accept && !checks_.contains(&plan)) {
    auto acceptance =
        Acceptance::Make(*plan.accept, request_.body(), call_request_.inbound_format);
    if (!acceptance) return std::move(acceptance).error();
    checks_.emplace(&plan, std::move(acceptance).value());
  }
  for (const routing::PlanStep& step : plan.steps) {
    if (!step.route) continue;
    if (Status nested = PrepareChecks(*step.route); !nested.ok()) return nested;
  }
  return Status();
}

const AnswerCheck* CallAttempts::CheckFor(const routing::Plan* race) {
  if (race == nullptr) return nullptr;
  const auto found = checks_.find(race);
  return found != checks_.end() ? found->second.get() : nullptr;
}

void NoteDeadlineCut(const routing::AttemptOrder& order, AttemptResult& result) {
  if (!order.time_left || result.committed || !result.error ||
      result.error->kind != ErrorKind::kUpstreamTimeout ||
      result.record.latency_ms < order.time_left->count()) {
    return;
  }
  result.error = routing::DeadlineError(order.deadline);
  result.record.reason = result.error->message;
}

}  // namespace switchyard::gateway

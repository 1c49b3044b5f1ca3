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

Task<routing::AttemptReport> CallAttempts::Run(const routing::AttemptOrder& order) {
  AttemptInput input{&call_request_, order.target, ApiKeyFor(request_, *order.target),
                     order.n,        LedgerKind(order.kind), order.time_left, order.commit};
  input.watch = &watch_;
  input.racing = order.race != nullptr;
  input.check = CheckFor(order.race);
  call_.NoteAttemptStarted();
  ++running_;
  AttemptResult result = co_await RunAttempt(worker_, call_, downstream_, input);
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

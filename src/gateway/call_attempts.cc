#include "gateway/call_attempts.h"

#include "gateway/client_request.h"
#include "http/retry_after.h"

namespace switchyard::gateway {
namespace {

ledger::AttemptKind LedgerKind(routing::AttemptKind kind) {
  switch (kind) {
    case routing::AttemptKind::kPrimary: return ledger::AttemptKind::kPrimary;
    case routing::AttemptKind::kRetry: return ledger::AttemptKind::kRetry;
    case routing::AttemptKind::kFallback: return ledger::AttemptKind::kFallback;
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

Task<routing::AttemptReport> CallAttempts::Run(const routing::AttemptOrder& order) {
  AttemptInput input{&call_request_, order.target, ApiKeyFor(request_, *order.target),
                     order.n,        LedgerKind(order.kind), order.time_left, order.commit};
  last_ = co_await RunAttempt(worker_, call_, downstream_, input);
  NoteDeadlineCut(order, *last_);
  call_.record().attempts.push_back(last_->record);
  co_return ReportOf(*last_, std::chrono::system_clock::now());
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

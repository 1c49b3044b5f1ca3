#include "gateway/call.h"

#include <fmt/format.h>

#include <random>
#include <utility>

#include "gateway/ledger_commit.h"

namespace switchyard::gateway {

std::string NewRequestId() {
  // Time first (48 bits of Unix milliseconds), then 48 random bits: ids sort by time, so the
  // ledger's indexes on them grow at their right edge instead of at random pages — measured: with
  // random ids the SQLite writer spent most of its time reading index pages back in. Ids need
  // uniqueness, not secrecy; a per-thread generator keeps this lock-free.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  return fmt::format("req_{:012x}{:012x}", ms & 0xffff'ffff'ffffULL,
                     generator() & 0xffff'ffff'ffffULL);
}

Call::Call(const GatewayState& state, const http::IncomingRequest& request,
           const inbound::InboundCodec& codec)
    : state_(state), request_(request), codec_(codec), start_(Clock::now()) {
  record_.request_id = NewRequestId();
  record_.time = std::chrono::system_clock::now();
  record_.method = std::string(request.method());
  record_.path = std::string(request.path);
  record_.inbound = std::string(codec.name());
}

Call::~Call() { Finish(); }

std::int64_t Call::ElapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
}

http::HeaderList Call::ResponseHeaders(std::size_t attempts) const {
  http::HeaderList headers;
  headers.emplace_back("x-switchyard-request-id", record_.request_id);
  if (!record_.provider.empty()) headers.emplace_back("x-switchyard-provider", record_.provider);
  if (!record_.model.empty()) headers.emplace_back("x-switchyard-model", record_.model);
  if (!record_.route.empty()) headers.emplace_back("x-switchyard-route", record_.route);
  headers.emplace_back("x-switchyard-attempts", std::to_string(attempts));
  // CONTRACT.md "Cache": every answer says what the cache did (a refresh is a miss it rewrote).
  const std::string_view cache = record_.cache;
  headers.emplace_back("x-switchyard-cache",
                       cache.empty() ? "off" : cache == "refresh" ? "miss" : record_.cache);
  // CONTRACT.md "Guardrails": what fired before the answer began (a stream's later ones are in
  // the ledger).
  if (!record_.guardrails.empty()) {
    headers.emplace_back("x-switchyard-guardrails", record_.guardrails);
  }
  headers.insert(headers.end(), answer_headers_.begin(), answer_headers_.end());
  return headers;
}

namespace {

bool IsGuardrailRefusal(const Error& error) {
  return error.code == "guardrail_denied" && error.http_status >= 500;
}

}  // namespace

Task<> Call::RespondError(http::Downstream& downstream, const Error& error,
                          http::HeaderList extra) {
  record_.status = error.http_status;
  record_.error = error.message;
  http::HeaderList headers = ResponseHeaders(record_.attempts.size());
  headers.emplace_back("Content-Type", "application/json");
  // The gateway has already retried or failed over, or a guardrail refused the answer (the same
  // call would be refused again): the SDK should not pile its retries on top.
  if (record_.attempts.size() > 1 || IsGuardrailRefusal(error)) {
    headers.emplace_back("x-should-retry", "false");
  }
  for (auto& header : extra) headers.push_back(std::move(header));
  co_await downstream.Respond(error.http_status, std::move(headers), codec_.FormatError(error));
}

void Call::Finish() {
  if (finished_) return;
  finished_ = true;
  record_.latency_ms = ElapsedMs();
  state_.Record(record_);
}

Error Call::WithheldError() {
  return Error::Unavailable(
      "the answer was withheld: the ledger could not record the call (ledger.durability: strict)");
}

std::optional<std::int64_t> Call::CostSoFar() const {
  std::optional<std::int64_t> total = record_.TotalCostNanos();
  for (const ledger::AttemptRecord& attempt : side_attempts_) {
    if (!total || !attempt.cost_nanos) return std::nullopt;
    *total += *attempt.cost_nanos;
  }
  return total;
}

void Call::AppendNumbered(std::vector<ledger::AttemptRecord> attempts, ledger::CallRecord& to) {
  int n = 0;
  for (const ledger::AttemptRecord& attempt : to.attempts) n = std::max(n, attempt.n);
  for (ledger::AttemptRecord& attempt : attempts) {
    attempt.n = ++n;
    to.attempts.push_back(std::move(attempt));
  }
}

ledger::CallRecord Call::SealedRecord(int status) const {
  ledger::CallRecord sealed = record_;
  sealed.status = status;
  sealed.latency_ms = ElapsedMs();
  if (answering_ != nullptr) {  // the answer comes from an attempt that is not in record_ yet
    ledger::AttemptRecord attempt = answering_->RecordSoFar();
    sealed.provider = attempt.provider;
    sealed.model = attempt.model;
    sealed.ttft_ms = attempt.ttft_ms;
    if (attempt.outcome != ledger::AttemptOutcome::kSuccess) sealed.error = attempt.reason;
    sealed.attempts.push_back(std::move(attempt));
  }
  AppendNumbered(side_attempts_, sealed);
  return sealed;
}

Task<bool> Call::BeforeLastByte(int status, bool stream) {
  if (!HasWorkBeforeLastByte()) co_return true;
  if (others_in_flight_) co_await others_in_flight_();
  ledger::CallRecord sealed = SealedRecord(status);
  if (settle_) {
    const Settle settle = std::exchange(settle_, nullptr);
    co_await settle(sealed);
  }
  if (state_.strict_ledger == nullptr || finished_) co_return true;
  co_return co_await CommitDurably(std::move(sealed), stream);
}

Task<bool> Call::CommitDurably(ledger::CallRecord sealed, bool stream) {
  ledger::DurableCallSink* const ledger = state_.strict_ledger;
  finished_ = true;  // recorded here, once, whatever the ledger answers
  const Status committed = co_await AwaitCommit(*ledger, sealed);
  if (!committed.ok()) {
    // Not in the ledger, and never will be in that form: record what the client gets instead,
    // through the queue like any batch record, so that the attempts' cost is not lost.
    const Error withheld = WithheldError();
    if (!stream) sealed.status = withheld.http_status;
    sealed.error = withheld.message;
  }
  for (ledger::CallSink* sink : state_.sinks) {
    if (sink != ledger || !committed.ok()) sink->Record(sealed);
  }
  co_return committed.ok();
}

}  // namespace switchyard::gateway

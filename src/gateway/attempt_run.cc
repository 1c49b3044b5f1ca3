#include "gateway/attempt_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/redact.h"
#include "gateway/attempt_price.h"
#include "http/retry_after.h"
#include "pricing/cost.h"

namespace switchyard::gateway {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxErrorBody = 1 << 20;  // provider error bodies are small

std::int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

ledger::AttemptOutcome OutcomeFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kUpstreamTimeout: return ledger::AttemptOutcome::kTimeout;
    case ErrorKind::kUpstreamConnect: return ledger::AttemptOutcome::kConnectError;
    case ErrorKind::kCancelled: return ledger::AttemptOutcome::kCancelled;
    case ErrorKind::kUpstreamStatus: return ledger::AttemptOutcome::kUpstreamError;
    default: return ledger::AttemptOutcome::kStreamError;
  }
}

std::string Join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ',';
    joined += name;
  }
  return joined;
}

}  // namespace

AttemptRun::AttemptRun(Worker& worker, Call& call, http::Downstream& downstream,
                       const AttemptInput& input)
    : worker_(worker), call_(call), downstream_(downstream), input_(input),
      provider_(*input.target->provider), deadlines_(DeadlinesFor(input)),
      exchange_(worker.pool, provider_.endpoint, deadlines_), catalog_(worker.state.catalog),
      start_(Clock::now()) {
  result_.record.n = input.record_n;
  result_.record.kind = input.kind;
  result_.record.provider = provider_.config->name;
  result_.record.model = input.target->model;
  // Another attempt that reaches the client first (a race) stops this one where it stands.
  if (input.commit != nullptr) input.commit->Enter(input.n, [this] { exchange_.Cancel(); });
}

AttemptRun::~AttemptRun() {
  if (input_.commit != nullptr) input_.commit->Leave(input_.n);
  LeaveWatch();
  call_.StopAnswering(this);
}

// The attempt's row as Finish() will write it, for a strict ledger's commit before the last byte.
ledger::AttemptRecord AttemptRun::RecordSoFar() const {
  ledger::AttemptRecord record = result_.record;
  record.latency_ms = MsSince(start_);
  NoteImplausibleUsage(record);
  record.cost_nanos = cost_unknown_ ? std::nullopt : PriceOf(record.usage);
  return record;
}

// GCC 12 false positive on this coroutine's frame (as in call_attempts.cc): inlining Asio's frame
// allocation it pairs awaitable_frame_base's operator new with its sized operator delete and
// reports them mismatched. Only here, only that warning.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<AttemptResult> AttemptRun::Run() {
  providers::UpstreamTarget target{provider_.config, input_.target->model, input_.api_key,
                                   &provider_.endpoint, input_.target->params_json};
  auto upstream = BuildRequest(target);
  if (!upstream) co_return Fail(upstream.error(), providers::ErrorClass::kFatal);
  dropped_params_ = std::move(upstream->dropped_params);

  JoinWatch();
  Status sent = co_await exchange_.Send(upstream->upstream);
  if (!sent.ok()) {
    LeaveWatch();
    co_return Fail(sent.error(), providers::ErrorClass::kRetryable);
  }
  result_.record.http_status = exchange_.status();
  if (exchange_.status() >= 400) {
    co_await ReadProviderError();
  } else if (request().passthrough.stream &&
             exchange_.Header("content-type").starts_with("text/event-stream")) {
    co_await RelayStream();
  } else {
    co_await RelayWhole();
  }
  LeaveWatch();
  co_return Finish();
}
#pragma GCC diagnostic pop

void AttemptRun::JoinWatch() {
  if (input_.watch != nullptr) input_.watch->Join(input_.n, [this] { exchange_.Cancel(); });
}

void AttemptRun::LeaveWatch() {
  if (input_.watch != nullptr) input_.watch->Leave(input_.n);
}

// The provider's deadlines, the total cut to the target's timeout and to the call's time left.
http::UpstreamDeadlines AttemptRun::DeadlinesFor(const AttemptInput& input) {
  const routing::PlannedTarget& target = *input.target;
  http::UpstreamDeadlines deadlines = target.provider->config->deadlines;
  if (target.timeout && *target.timeout < deadlines.total) deadlines.total = *target.timeout;
  if (input.time_left && *input.time_left < deadlines.total) {
    deadlines.total = std::max(*input.time_left, config::Millis(1));
  }
  return deadlines;
}

// Ends an attempt that failed before any answer: a cancelled one is never worth another try.
AttemptResult AttemptRun::Fail(const Error& error, providers::ErrorClass error_class) {
  MarkFailed(error, error.kind == ErrorKind::kCancelled ? providers::ErrorClass::kFatal
                                                        : error_class);
  return Finish();
}

// Every path ends here: timing, an estimate for an unanswered prompt, and the price.
AttemptResult AttemptRun::Finish() {
  result_.record.latency_ms = MsSince(start_);
  EstimateUnansweredPrompt();
  NoteImplausibleUsage(result_.record);
  result_.record.cost_nanos = cost_unknown_ ? std::nullopt : PriceOf(result_.record.usage);
  return std::move(result_);
}

// Usage the provider reported but that cannot be right (canonical::Usage::implausible) has no
// price (pricing/cost.h): the ledger marks it estimated and says why, so it is never taken for
// an exact bill.
void AttemptRun::NoteImplausibleUsage(ledger::AttemptRecord& record) {
  const char* why = record.usage.implausible;
  if (why == nullptr) return;
  record.usage_estimated = true;
  std::string& reason = record.reason;
  if (!reason.empty()) reason += "; ";
  reason += fmt::format("the provider reported implausible usage ({}): cost unknown", why);
}

// A request that reached the provider but got no answer (cancelled, timed out) may still be billed
// for its prompt: record an estimate of it, marked estimated, rather than nothing.
void AttemptRun::EstimateUnansweredPrompt() {
  const bool unanswered = result_.error && (result_.error->kind == ErrorKind::kCancelled ||
                                            result_.error->kind == ErrorKind::kUpstreamTimeout);
  if (!unanswered || !exchange_.request_sent() || result_.record.usage.reported ||
      result_.record.usage_estimated) {
    return;
  }
  result_.record.usage.input_tokens =
      static_cast<std::int64_t>((request().passthrough.body.size() + 3) / 4);
  result_.record.usage_estimated = true;
}

// The attempt's price at its provider (gateway/attempt_price.h), by the request's time.
std::optional<pricing::Nanos> AttemptRun::PriceOf(const canonical::Usage& usage) const {
  return PriceAtProvider(*catalog_, *provider_.config, input_.target->model, usage,
                         call_.record().time);
}

// The call's cost so far with this attempt's `cost` added; unknown if any part is unknown.
std::optional<pricing::Nanos> AttemptRun::CallCostWith(std::optional<pricing::Nanos> cost) const {
  const std::optional<pricing::Nanos> before = call_.CostSoFar();  // judges' attempts too
  if (!before || !cost) return std::nullopt;
  return *before + *cost;
}

std::string AttemptRun::CostComment(const canonical::Usage& usage) const {
  return StreamCostComment(CallCostWith(PriceOf(usage)), call_.request_id());
}

// Every error of an attempt passes here on its way to the client, the log and the ledger: a
// decoder's error may quote the provider's answer, so it is redacted of the key here, once.
void AttemptRun::MarkFailed(const Error& error, providers::ErrorClass error_class) {
  result_.error = RedactedError(error, input_.api_key);
  result_.error_class = error_class;
  result_.record.outcome = OutcomeFor(error);
  result_.record.reason = result_.error->message;
}

// The provider refused: read its error so that the client gets its status and message, in the
// client's own API shape.
Task<> AttemptRun::ReadProviderError() {
  const int status = exchange_.status();
  auto body = co_await exchange_.ReadAll(kMaxErrorBody);
  // Redacted once, whole: no field of it reaches the client, the log or the ledger unredacted.
  providers::ProviderError parsed = providers::Redacted(
      provider_.adapter->ParseError(status, body ? std::string_view(*body) : std::string_view{}),
      input_.api_key);
  Error error;
  error.kind = ErrorKind::kUpstreamStatus;
  // The status the error stands for, as the adapter read it (it may correct a provider's).
  error.http_status = call_.codec().ClientStatus(parsed.status > 0 ? parsed.status : status);
  error.message = std::move(parsed.message);
  error.type = parsed.type.empty() ? "upstream_error" : std::move(parsed.type);
  error.code = std::move(parsed.code);
  result_.retry_after = std::string(exchange_.Header("retry-after"));
  if (status == 429) {
    result_.rate_limit_reset = provider_.adapter->RateLimitReset(
        [this](std::string_view name) { return exchange_.Header(name); },
        std::chrono::system_clock::now());
    if (!result_.rate_limit_reset) result_.rate_limit_reset = parsed.retry_delay;
  }
  MarkFailed(error, parsed.error_class);
  result_.context_length = parsed.context_length;
}

http::HeaderList AttemptRun::SuccessHeaders(std::string_view default_type) {
  call_.record().provider = provider_.config->name;
  call_.record().model = input_.target->model;
  // Every attempt started so far, this one and any still racing included.
  http::HeaderList headers = call_.ResponseHeaders(call_.attempts_started());
  // The provider's content type is the one header of its own the client gets (pass-through: the
  // body is its bytes). Its rate-limit headers are not passed on: they tell every tenant the
  // shared account's quota (the gateway reads them for routing on a 429, ReadProviderError).
  std::string_view content_type =
      keeps_provider_content_type() ? exchange_.Header("content-type") : std::string_view{};
  headers.emplace_back("Content-Type",
                       content_type.empty() ? std::string(default_type)
                                            : RedactSecrets(content_type, input_.api_key));
  if (!dropped_params_.empty()) {
    headers.emplace_back("x-switchyard-dropped-params", Join(dropped_params_));
  }
  return headers;
}

// A body that cannot be read or is no answer (ConvertWhole) fails before the commit point, as an
// upstream error whose cost is unknown: the provider may have billed tokens it did not deliver.
Task<> AttemptRun::RelayWhole() {
  auto body = co_await exchange_.ReadAll(provider_.config->max_response_body);
  if (!body) {
    MarkFailed(body.error(), providers::ErrorClass::kRetryable);
    if (body.error().kind == ErrorKind::kUpstreamProtocol) {  // too large, or not HTTP
      result_.record.outcome = ledger::AttemptOutcome::kUpstreamError;
      cost_unknown_ = true;
    }
    co_return;
  }
  LeaveWatch();
  if (input_.check != nullptr) {
    if (std::optional<std::string> rejection = CheckWhole(*body)) {
      Reject(*rejection);
      co_return;
    }
  }
  std::optional<canonical::ChatResponse> captured = CaptureWhole(*body);
  auto converted = co_await ConvertWhole(std::move(body).value());
  if (!converted && halted_) co_return;
  if (!converted) {
    MarkFailed(converted.error(), providers::ErrorClass::kRetryable);
    result_.record.outcome = ledger::AttemptOutcome::kUpstreamError;
    result_.record.usage = {};
    cost_unknown_ = true;
    co_return;
  }
  const int status = exchange_.status();
  if (!Claim()) co_return;
  http::HeaderList headers = SuccessHeaders("application/json");
  if (const auto cost = CallCostWith(PriceOf(result_.record.usage))) {
    headers.emplace_back("x-switchyard-cost-usd", pricing::FormatUsd(*cost));
  }
  std::string answer = std::move(converted).value();
  // A provider may echo the key anywhere in its answer (an id, a field of its own); a pass-through
  // answer is its bytes, so the exact key is taken out of whatever goes to the client.
  RemoveSecret(answer, input_.api_key);
  if (!co_await downstream_.Respond(status, std::move(headers), std::move(answer))) {
    result_.record.reason = "the client went away before the answer was delivered";
    co_return;
  }
  KeepCapturedAnswer(std::move(captured));
}

Task<> AttemptRun::RelayStream() {
  streaming_ = true;
  OnStreamStart();
  StartCapture();
  sse::SseParser parser;
  std::string out;
  auto on_event = [this, &out](const sse::Event& event) {
    OnEvent(event, out);
    Capture(event);
  };
  for (;;) {
    auto piece = co_await exchange_.ReadSome();
    Status fed = piece ? (piece->empty() ? Status() : parser.Feed(*piece, on_event))
                       : Status(piece.error());
    if (piece && piece->empty()) parser.Finish(on_event);
    if (!fed.ok()) {
      co_await EndBrokenStream(fed.error());
      co_return;
    }
    if (ending_deferred()) co_await EndDeferred(out);
    if (halted_) co_return co_await EndHaltedStream(out);
    if (!result_.record.ttft_ms && saw_content()) result_.record.ttft_ms = MsSince(start_);
    if (piece->empty()) break;
    // When the body is complete, what is left goes out with the stream's end, in one write.
    if (!out.empty() && !exchange_.done() && !co_await Deliver(out)) co_return;
  }
  OnStreamClosed(out);
  if (ending_deferred()) co_await EndDeferred(out);
  if (halted_) co_return co_await EndHaltedStream(out);
  FinishStream();
  // A stream that failed before sending anything leaves the client untouched: the router may
  // still try elsewhere. So does a racing stream that failed while held back.
  if ((out.empty() || input_.racing) && !result_.committed && result_.error) co_return;
  if (!result_.committed && input_.check != nullptr) {
    if (std::optional<std::string> rejection = CheckCaptured()) {
      Reject(*rejection);
      co_return;
    }
  }
  const bool has_last = !out.empty() || !held_.empty();
  if (!co_await Commit()) {
    if (has_last && result_.committed) ClientGone();  // not when another attempt holds the call
    co_return;
  }
  // What was held back, the last bytes and the stream's end go out in one write.
  RemoveSecret(held_, input_.api_key);
  RemoveSecret(out, input_.api_key);
  const std::array<std::string_view, 2> pieces = {held_, out};  // sent as one chunk
  const std::span<const std::string_view> last(pieces.data(), has_last ? 2 : 0);
  const bool ended = co_await downstream_.EndStream(last);
  std::string().swap(held_);
  if (!ended && has_last) {
    ClientGone();
    co_return;
  }
  if (assembler_ && !result_.error) KeepCapturedAnswer(std::move(*assembler_).Take());
}

// Begins the client's stream if no byte has gone yet (the commit point). False when the client
// is gone, or another attempt holds the call (then `committed` stays false).
Task<bool> AttemptRun::Commit() {
  if (result_.committed) co_return true;
  if (!Claim()) co_return false;
  co_return co_await downstream_.BeginStream(exchange_.status(),
                                             SuccessHeaders("text/event-stream"));
}

// Asks the call's commit point for the client (routing/commit_point.h). Refused: another attempt
// answers the call, and this one ends as cancelled, having written nothing.
bool AttemptRun::Claim() {
  if (ClaimCommit(input_)) {
    result_.committed = true;
    call_.StartAnswering(this);
    return true;
  }
  exchange_.Cancel();
  MarkFailed(Error::Cancelled("another attempt answered the call first"),
             providers::ErrorClass::kFatal);
  TakeStreamUsage();
  return false;
}

// Sends what the last upstream read produced (after what was held back), or holds it back while
// racing. False when the client is gone, another attempt holds the call, or the held answer grew
// past its bound.
Task<bool> AttemptRun::Deliver(std::string& out) {
  if (Holding()) co_return Hold(out);
  if (!co_await Commit()) co_return result_.committed ? ClientGone() : false;
  // Whole events only (the parser dispatches complete ones): a key cannot straddle two writes.
  RemoveSecret(held_, input_.api_key);
  RemoveSecret(out, input_.api_key);
  const std::array<std::string_view, 2> pieces = {held_, out};  // sent as one chunk
  const bool ok = co_await downstream_.WriteChunk(pieces);
  std::string().swap(held_);
  out.clear();
  co_return ok ? true : ClientGone();
}

// A racing stream is held back until it delivers content — a stream that opens but says nothing
// must not win — and, when the route's checks need the whole answer, until it has ended.
bool AttemptRun::Holding() const {
  if (!input_.racing || result_.committed) return false;
  return (input_.check != nullptr && input_.check->needs_whole_answer()) || !saw_content();
}

// Keeps `out` back, within the provider's max_response_body.
bool AttemptRun::Hold(std::string& out) {
  if (held_.size() + out.size() > provider_.config->max_response_body) {
    exchange_.Cancel();
    MarkFailed(Error::UpstreamProtocol("the streamed answer passed max_response_body while held "
                                       "back for the route's accept checks"),
               providers::ErrorClass::kRetryable);
    result_.record.outcome = ledger::AttemptOutcome::kStreamError;
    TakeStreamUsage();
    return false;
  }
  held_.append(out);
  out.clear();
  return true;
}

// The checks read the answer in the canonical model: the provider's events, decoded on the side
// (whatever the client's format), only when a check needs the whole answer.
// The response cache reads it the same way, to store the whole answer once it has been delivered.
void AttemptRun::StartCapture() {
  const bool for_checks =
      input_.racing && input_.check != nullptr && input_.check->needs_whole_answer();
  const bool for_cache = request().capture_bytes > 0;
  if (!for_checks && !for_cache) return;
  capture_decoder_ = provider_.adapter->NewStreamDecoder();
  if (for_checks) capture_.emplace(provider_.config->max_response_body);
  if (for_cache) assembler_.emplace(request().capture_bytes);
}

void AttemptRun::Capture(const sse::Event& event) {
  if (!capture_decoder_ || event.is_comment) return;
  capture_events_.clear();
  capture_decoder_->Decode(event.event, event.data, capture_events_);
  for (const canonical::StreamEvent& decoded : capture_events_) {
    if (capture_) capture_->Observe(decoded);
    if (assembler_) assembler_->Observe(decoded);
  }
}

// A whole answer the response cache will store, read in the canonical model from the provider's
// body (whatever the client's format); nothing when the call does not cache or the body is
// larger than the cache would keep.
std::optional<canonical::ChatResponse> AttemptRun::CaptureWhole(std::string_view body) const {
  if (request().capture_bytes == 0 || body.size() > request().capture_bytes) return std::nullopt;
  auto response = provider_.adapter->DecodeResponse(body);
  if (!response) return std::nullopt;
  return std::move(response).value();
}

// What the provider wrote around the answer (its id, its model name) may quote the key: redacted
// before the cache keeps it. The answer's own text is the model's.
void AttemptRun::KeepCapturedAnswer(std::optional<canonical::ChatResponse> answer) {
  if (!answer) return;
  answer->id = RedactSecrets(answer->id, input_.api_key);
  answer->model = RedactSecrets(answer->model, input_.api_key);
  if (answer->model.empty()) answer->model = input_.target->model;
  result_.answer = std::move(answer);
}

std::optional<std::string> AttemptRun::CheckCaptured() const {
  // Not captured (the only check is non_empty, which a stream's first content settles by
  // claiming the call): a stream still unclaimed at its end delivered no content.
  if (!capture_) return input_.check->Reject({}, 0);
  if (capture_->overflowed()) return "the answer is too large to check";
  return input_.check->Reject(capture_->text(), capture_->tool_calls());
}

// A whole answer, read in the canonical model from the provider's body. Its usage is the
// attempt's whatever the verdict: a rejected answer is billed as any other.
std::optional<std::string> AttemptRun::CheckWhole(std::string_view body) {
  auto response = provider_.adapter->DecodeResponse(body);
  if (!response) return "the answer could not be read";
  result_.record.usage = response->usage;
  capture::AnswerCapture capture(provider_.config->max_response_body);
  capture.Observe(*response);
  return input_.check->Reject(capture.text(), capture.tool_calls());
}

// The answer failed the route's accept checks: it never reaches the client, and another target
// may still give an acceptable one.
void AttemptRun::Reject(const std::string& reason) {
  MarkFailed(Error::UpstreamProtocol("the answer failed the route's accept checks: " + reason),
             providers::ErrorClass::kFallBack);
  result_.record.outcome = ledger::AttemptOutcome::kRejected;
  result_.record.reason = RedactSecrets(reason, input_.api_key);  // "json: not valid JSON ..."
  result_.rejected = true;
}

bool AttemptRun::ClientGone() {
  exchange_.Cancel();
  MarkFailed(Error::Cancelled("the client went away during the stream"),
             providers::ErrorClass::kFatal);
  TakeStreamUsage();
  return false;
}

// The upstream broke off. Before the commit point the router may still try elsewhere; after it,
// the client's stream ends with an error event.
Task<> AttemptRun::EndBrokenStream(const Error& error) {
  TakeStreamUsage();
  if (error.kind == ErrorKind::kCancelled) {
    MarkFailed(error, providers::ErrorClass::kFatal);
    co_return;
  }
  MarkFailed(error, providers::ErrorClass::kRetryable);
  if (error.kind != ErrorKind::kUpstreamTimeout) {
    result_.record.outcome = ledger::AttemptOutcome::kStreamError;
  }
  if (!result_.committed) co_return;
  std::string event;
  OnStreamBroken(error, event);
  const std::string_view piece = event;
  const std::span<const std::string_view> last(&piece, 1);
  co_await downstream_.EndStream(last);
}

void AttemptRun::Halt(const Error& error, bool fallback) {
  MarkFailed(error, fallback ? providers::ErrorClass::kFallBack : providers::ErrorClass::kFatal);
  result_.record.outcome = ledger::AttemptOutcome::kRejected;
  result_.rejected = fallback;
  halted_ = true;
}

// A stream an output guardrail stopped: the provider is hung up on. Before the commit point
// nothing of it reaches the client (the call answers the refusal, or the next target does);
// after it, the client's stream ends with the error event the subclass appended to `out`.
Task<> AttemptRun::EndHaltedStream(std::string& out) {
  exchange_.Cancel();
  TakeStreamUsage();
  if (!result_.committed) co_return;
  RemoveSecret(out, input_.api_key);
  const std::string_view piece = out;
  const std::span<const std::string_view> last(&piece, 1);
  co_await downstream_.EndStream(last);
}

void AttemptRun::TakeStreamUsage() {
  if (!streaming_) return;
  result_.record.usage = StreamUsage();
  result_.record.usage_estimated = !stream_usage_reported();
}

void AttemptRun::FinishStream() {
  TakeStreamUsage();
  if (!stream_error().empty()) {
    MarkFailed(Error::UpstreamProtocol("the provider reported an error inside the stream: " +
                                       RedactSecrets(stream_error(), input_.api_key)),
               providers::ErrorClass::kRetryable);
    result_.record.outcome = ledger::AttemptOutcome::kStreamError;
  }
}

// Not a coroutine itself: it hands over the task of the kind the path decision picks (the caller
// awaits it at once, while the arguments it refers to live).
Task<AttemptResult> RunAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                               const AttemptInput& input) {
  switch (input.request->PathTo(input.target->provider->adapter->wire_format())) {
    case AttemptPath::kPassthrough: return RunPassthroughAttempt(worker, call, downstream, input);
    case AttemptPath::kTranslated: return RunTranslatedAttempt(worker, call, downstream, input);
    case AttemptPath::kTokenEstimate: return RunTokenEstimateAttempt(call, downstream, input);
    case AttemptPath::kRefused: break;
  }
  // The call's preparation refuses such a target before any attempt; never reached.
  return RunRefusedAttempt(input);
}

}  // namespace switchyard::gateway

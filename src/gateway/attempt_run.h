// AttemptRun: the steps every attempt takes, whatever its kind — send the request, read a refusal
// into an error, relay a whole answer or a stream to the client with backpressure (the next upstream
// read waits for the previous client write), price the usage, and record how it ended. A subclass
// says how the request is built and how the answer's bytes become the client's bytes: unchanged
// (PassthroughRun) or translated (TranslatedRun).
//
// One AttemptRun per attempt, on the call's strand; not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "capture/answer_capture.h"
#include "capture/response_assembler.h"
#include "core/asio.h"
#include "gateway/attempt.h"
#include "http/client/upstream_exchange.h"
#include "pricing/money.h"
#include "sse/sse_parser.h"

namespace switchyard::gateway {

class AttemptRun : public AnsweringAttempt {
 public:
  AttemptRun(Worker& worker, Call& call, http::Downstream& downstream, const AttemptInput& input);
  virtual ~AttemptRun();
  AttemptRun(const AttemptRun&) = delete;

  Task<AttemptResult> Run();

  // The record as it would end now (latency, price), for a strict ledger (Call).
  ledger::AttemptRecord RecordSoFar() const override;

 protected:
  using Clock = std::chrono::steady_clock;

  // --- What a kind of attempt decides ---

  // The upstream request for this target.
  virtual Result<providers::EncodedRequest> BuildRequest(
      const providers::UpstreamTarget& target) = 0;
  // The client's body for a whole answer; sets result_.record.usage. Failure: the answer cannot
  // be read (the attempt failed before the commit point), or an output guardrail refused it
  // (Halt). A coroutine: a webhook guardrail is asked on the way.
  virtual Task<Result<std::string>> ConvertWhole(std::string body) = 0;
  // A streamed answer whose end waits for something asynchronous (an output webhook judging the
  // whole answer): RelayStream then calls EndDeferred, which appends the stream's end to `out`.
  virtual bool ending_deferred() const { return false; }
  virtual Task<> EndDeferred(std::string& /*out*/) { co_return; }
  // A streamed answer begins (before its first event).
  virtual void OnStreamStart() = 0;
  // A streamed answer: the client's bytes for one upstream SSE event, appended to `out`.
  virtual void OnEvent(const sse::Event& event, std::string& out) = 0;
  // The upstream stream closed: append whatever still ends the client's stream properly.
  virtual void OnStreamClosed(std::string& out) = 0;
  // The upstream broke off after the commit point: append the client's error event.
  virtual void OnStreamBroken(const Error& error, std::string& out) = 0;
  // The stream's usage so far: as reported, or an estimate (then `reported` is false).
  virtual canonical::Usage StreamUsage() const = 0;
  virtual bool stream_usage_reported() const = 0;
  virtual bool saw_content() const = 0;
  // The error the provider sent inside the stream; empty when none.
  virtual const std::string& stream_error() const = 0;
  // Whether the client gets the provider's Content-Type (same format) or the gateway's.
  virtual bool keeps_provider_content_type() const = 0;

  // --- Shared helpers for the kinds ---

  // The attempt's cost at list price (unknown stays unknown), priced by the request's time.
  std::optional<pricing::Nanos> PriceOf(const canonical::Usage& usage) const;
  // The SSE comment carrying a streamed call's cost (CONTRACT.md), for just before the terminator.
  std::string CostComment(const canonical::Usage& usage) const;
  void MarkFailed(const Error& error, providers::ErrorClass error_class);
  // An output guardrail refused the answer (guardrails/output_guard.h): recorded as rejected, the
  // route's next target tried for `fallback`, none for a deny; a stream is relayed no further
  // (before the commit point the client gets nothing of it). A rejected answer is billed as any.
  void Halt(const Error& error, bool fallback);
  std::string_view api_key() const { return input_.api_key; }
  const CallRequest& request() const { return *input_.request; }
  const routing::ProviderRuntime& provider() const { return provider_; }
  const routing::PlannedTarget& target() const { return *input_.target; }
  Call& call() { return call_; }
  Worker& worker() { return worker_; }
  ClientWatch* watch() const { return input_.watch; }

  AttemptResult result_;

 private:
  static http::UpstreamDeadlines DeadlinesFor(const AttemptInput& input);
  AttemptResult Fail(const Error& error, providers::ErrorClass error_class);
  AttemptResult Finish();
  void EstimateUnansweredPrompt();
  static void NoteImplausibleUsage(ledger::AttemptRecord& record);
  std::optional<pricing::Nanos> CallCostWith(std::optional<pricing::Nanos> cost) const;
  Task<> ReadProviderError();
  http::HeaderList SuccessHeaders(std::string_view default_type);
  Task<> RelayWhole();
  Task<> RelayStream();
  Task<bool> Deliver(std::string& out);
  bool Holding() const;
  bool Hold(std::string& out);
  void StartCapture();
  void Capture(const sse::Event& event);
  std::optional<std::string> CheckCaptured() const;
  std::optional<std::string> CheckWhole(std::string_view body);
  std::optional<canonical::ChatResponse> CaptureWhole(std::string_view body) const;
  void KeepCapturedAnswer(std::optional<canonical::ChatResponse> answer);
  void Reject(const std::string& reason);
  void JoinWatch();
  void LeaveWatch();
  Task<bool> Commit();
  bool Claim();
  bool ClientGone();
  Task<> EndBrokenStream(const Error& error);
  Task<> EndHaltedStream(std::string& out);
  void TakeStreamUsage();
  void FinishStream();

  Worker& worker_;
  Call& call_;
  http::Downstream& downstream_;
  const AttemptInput& input_;
  const routing::ProviderRuntime& provider_;
  const http::UpstreamDeadlines deadlines_;
  http::UpstreamExchange exchange_;
  const pricing::PriceCatalog* const catalog_;
  const Clock::time_point start_;
  std::vector<std::string> dropped_params_;  // fields the target could not take (translated calls)
  bool streaming_ = false;                   // a stream is being relayed: its usage is the record's
  bool cost_unknown_ = false;                // the answer was unreadable: no usage to price
  bool halted_ = false;                      // an output guardrail refused the answer (Halt)
  std::string held_;  // racing: the client's bytes held back until the attempt may claim the call
  // Racing with checks on the whole answer: the provider's stream decoded on the side.
  std::unique_ptr<providers::StreamDecoder> capture_decoder_;
  std::vector<canonical::StreamEvent> capture_events_;  // reused between events
  std::optional<capture::AnswerCapture> capture_;      // for the accept checks
  std::optional<capture::ResponseAssembler> assembler_;  // for the response cache
};

}  // namespace switchyard::gateway

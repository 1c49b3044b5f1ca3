// Call: one client call from the gateway's point of view — its request id, clock, the record that
// becomes its access-log line and ledger rows, and the response headers every answer carries.
// Finish() hands the record to the sinks exactly once, whatever path the call took (the destructor
// does it if a handler returned early), so no call goes unrecorded.
//
// Two things happen before the last byte of an answer (BeforeLastByte, called by DurableDownstream),
// with the answering attempt's record as it stands then: the call's budgets and token limits are
// settled, when it holds any, so that the client's next call is admitted against what this one
// spent, not what it reserved; and with `ledger.durability: strict` the record is handed to the
// ledger there, and the answer waits for its commit.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/asio.h"
#include "core/error.h"
#include "gateway/gateway_state.h"
#include "http/server/downstream.h"
#include "http/server/incoming_request.h"
#include "inbound/inbound_codec.h"
#include "ledger/call_record.h"

namespace switchyard::gateway {

// The attempt that is answering the client, as the call sees it: its record so far (timed and
// priced as of now), for a record that must be complete before the answer's last byte.
class AnsweringAttempt {
 public:
  virtual ledger::AttemptRecord RecordSoFar() const = 0;

 protected:
  ~AnsweringAttempt() = default;
};

class Call {
 public:
  using Clock = std::chrono::steady_clock;

  // `codec` is the client's API: it shapes every error the call answers with.
  Call(const GatewayState& state, const http::IncomingRequest& request,
       const inbound::InboundCodec& codec);
  ~Call();
  Call(const Call&) = delete;

  ledger::CallRecord& record() { return record_; }
  const http::IncomingRequest& request() const { return request_; }

  // Attempts made for the call beside the router's (an llm guardrail's judge): kept aside while
  // attempts may be in flight, in the sealed record (BeforeLastByte), and moved into the record,
  // numbered after every attempt in it, by MergeSideAttempts.
  void AddSideAttempt(ledger::AttemptRecord attempt) {
    side_attempts_.push_back(std::move(attempt));
  }
  // The call's cost so far: its record's attempts and the side attempts; unknown if any is.
  std::optional<std::int64_t> CostSoFar() const;
  void MergeSideAttempts() {
    AppendNumbered(std::exchange(side_attempts_, {}), record_);
  }
  const inbound::InboundCodec& codec() const { return codec_; }
  const std::string& request_id() const { return record_.request_id; }
  Clock::time_point start() const { return start_; }
  std::int64_t ElapsedMs() const;

  // The x-switchyard-* headers for the answer as it stands (provider, model), with `attempts` as
  // the attempt count.
  http::HeaderList ResponseHeaders(std::size_t attempts) const;

  // Headers every answer of this call carries besides the x-switchyard-* ones (the gateway's own
  // x-ratelimit-* of the key's limits).
  void AddAnswerHeaders(const http::HeaderList& headers) {
    answer_headers_.insert(answer_headers_.end(), headers.begin(), headers.end());
  }

  // Answers with an error in the client API's shape. `extra` headers are added (e.g. retry-after).
  Task<> RespondError(http::Downstream& downstream, const Error& error,
                      http::HeaderList extra = {});

  // Records the call (once).
  void Finish();

  // The attempt that answers the client, from its claim of the call (routing/commit_point.h) to
  // its end; set and cleared by the attempt itself. With several attempts in flight (a race) only
  // the winner ever answers.
  void StartAnswering(const AnsweringAttempt* attempt) { answering_ = attempt; }
  void StopAnswering(const AnsweringAttempt* attempt) {
    if (answering_ == attempt) answering_ = nullptr;
  }

  // Attempts started so far (x-switchyard-attempts of an answer): racing ones still in flight
  // count too. Counted by the call's attempt runner.
  void NoteAttemptStarted() { ++attempts_started_; }
  std::size_t attempts_started() const { return attempts_started_; }

  // What a strict ledger's commit waits for before it seals the call: the attempts other than the
  // answering one (a race's losers, cancelled by the claim) to end and be recorded, so that the
  // sealed record holds them all. Set by the call's attempt runner; null: nothing to wait for.
  void set_others_in_flight(std::function<Task<>()> wait) { others_in_flight_ = std::move(wait); }

  // What settles the call's admission from its record (governance/governor.h), run once before
  // the answer's last byte; null (the default, or to cancel it once settled otherwise): nothing.
  using Settle = std::function<Task<>(const ledger::CallRecord&)>;
  void set_settle_before_last_byte(Settle settle) { settle_ = std::move(settle); }

  // Whether BeforeLastByte has anything to do; when not, the answer's end goes straight out.
  bool HasWorkBeforeLastByte() const {
    return settle_ || (state_.strict_ledger != nullptr && !finished_);
  }

  // Takes the call as the client is about to get it — `status`, the answering attempt's record so
  // far, the latency up to now — once the other attempts in flight have ended, and
  // - settles the admission with it (set_settle_before_last_byte), once;
  // - with strict durability, records it and waits, without blocking the thread, until the ledger
  //   has committed it. The call is then recorded (Finish does nothing more). False when the ledger
  //   could not commit it: the call is recorded as withheld (WithheldError; the status too unless
  //   `stream`: a stream's head has gone) and the caller must not complete the answer.
  // True, doing nothing, when there is nothing to do.
  Task<bool> BeforeLastByte(int status, bool stream);

  // What the client gets instead of the end of an answer the ledger could not record.
  static Error WithheldError();

 private:
  ledger::CallRecord SealedRecord(int status) const;
  static void AppendNumbered(std::vector<ledger::AttemptRecord> attempts, ledger::CallRecord& to);
  Task<bool> CommitDurably(ledger::CallRecord sealed, bool stream);

  const GatewayState& state_;
  const http::IncomingRequest& request_;
  const inbound::InboundCodec& codec_;
  Clock::time_point start_;
  ledger::CallRecord record_;
  const AnsweringAttempt* answering_ = nullptr;
  std::size_t attempts_started_ = 0;
  std::function<Task<>()> others_in_flight_;
  Settle settle_;
  http::HeaderList answer_headers_;
  std::vector<ledger::AttemptRecord> side_attempts_;
  bool finished_ = false;
};

// A fresh request id: "req_" and 24 hex digits — the time in milliseconds, then random bits.
std::string NewRequestId();

}  // namespace switchyard::gateway

// TranslatedRun: an attempt at a target whose wire format differs from the client's. The canonical
// request (decoded once per call) is encoded in the target's format; the answer is decoded back
// into the canonical model and encoded in the client's API — a whole answer at once, a stream event
// by event as it arrives, so the client's first token leaves when the provider's arrives.
#include "canonical/stream_stats.h"
#include "core/redact.h"
#include "gateway/attempt_run.h"
#include "gateway/external_guardrails.h"
#include "guardrails/output_guard.h"
#include "guardrails/stream_guard.h"
#include "inbound/inbound_codec.h"

namespace switchyard::gateway {
namespace {

// What the provider writes around the model's answer (ids, model names, error events) may quote
// the key; the answer's own text is the model's, not the gateway's to change.
void RedactProviderFields(canonical::StreamEvent& event, std::string_view key) {
  using Kind = canonical::StreamEvent::Kind;
  if (event.kind == Kind::kStart) {
    event.response_id = RedactSecrets(event.response_id, key);
    event.model = RedactSecrets(event.model, key);
  } else if (event.kind == Kind::kError) {
    event.text = RedactSecrets(event.text, key);
    event.error_type = RedactSecrets(event.error_type, key);
  }
}

class TranslatedRun final : public AttemptRun {
 public:
  using AttemptRun::AttemptRun;

 private:
  Result<providers::EncodedRequest> BuildRequest(const providers::UpstreamTarget& target) override {
    auto canonical = request().Canonical();
    if (!canonical) return canonical.error();
    return provider().adapter->EncodeRequest(**canonical, target);
  }

  // GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
  Task<Result<std::string>> ConvertWhole(std::string body) override {
    auto response = DecodeWhole(std::move(body));
    if (!response) co_return std::move(response).error();
    if (const std::span<const guardrails::Guardrail* const> output = OutputGuardrails();
        !output.empty()) {
      guardrails::GuardOutcome outcome = guardrails::GuardAnswer(output, *response);
      if (outcome.stopped == nullptr && HasExternal(output)) {
        std::vector<guardrails::GuardedText> texts;
        guardrails::AppendTexts(response->message, texts);
        co_await AskExternalGuardrails(worker(), call(), watch(), output, texts, WebhookContext(),
                                       outcome);
      }
      guardrails::AppendFired(outcome.fired, call().record().guardrails);
      if (outcome.stopped != nullptr) co_return Refuse(outcome);
    }
    co_return call().codec().EncodeResponse(*response);
  }

  // The stream's end, once the output webhooks judged the whole answer the stream guard holds.
  Task<> EndDeferred(std::string& out) override {
    deferred_ = false;
    std::vector<guardrails::GuardedText> texts;
    guardrails::AppendTexts(guard_->awaiting_answer().message, texts);
    guardrails::GuardOutcome outcome;
    co_await AskExternalGuardrails(worker(), call(), watch(), OutputGuardrails(), texts,
                                   WebhookContext(), outcome);
    guard_->Resume(std::move(outcome), guarded_);
    EncodeGuarded(out);
    if (guard_stopped_) co_return;
    FinishClientStream(out);
  }
#pragma GCC diagnostic pop

  bool ending_deferred() const override { return deferred_; }

  Result<canonical::ChatResponse> DecodeWhole(std::string body) {
    if (request().passthrough.stream) {
      return Error::UpstreamProtocol("the provider answered a streamed request without a stream");
    }
    auto response = provider().adapter->DecodeResponse(body);
    // The raw body is not needed once decoded: freed before the client's body is built, so that a
    // large answer is not held three times (raw, canonical, encoded) at once.
    std::string().swap(body);
    if (!response) return std::move(response).error();
    response->id = RedactSecrets(response->id, api_key());
    response->model = RedactSecrets(response->model, api_key());
    if (response->created == 0) response->created = request().created;
    if (response->id.empty()) response->id = call().request_id();
    if (response->model.empty()) response->model = target().model;
    result_.record.usage = response->usage;
    return response;
  }

  guardrails::WebhookContext WebhookContext() {
    const ledger::CallRecord& record = call().record();
    return {target().model, record.key_name, record.metadata_json};
  }

  std::span<const guardrails::Guardrail* const> OutputGuardrails() const {
    if (request().guardrails == nullptr) return {};
    return request().guardrails->output;
  }

  // An output guardrail stopped the answer: a fallback moves the call on while nothing has gone
  // to the client; otherwise (a deny, or any stop once the stream began) it is the call's end.
  Error Refuse(const guardrails::GuardOutcome& outcome) {
    Error error = guardrails::OutputDeniedError(*outcome.stopped, outcome.reason);
    const bool fallback =
        outcome.stopped->config.action == config::GuardrailAction::kFallback && !result_.committed;
    Halt(error, fallback);
    return error;
  }

  void OnStreamStart() override {
    decoder_ = provider().adapter->NewStreamDecoder();
    inbound::StreamEncoderOptions options;
    options.model = target().model;
    options.id = call().request_id();
    options.created = request().created;
    options.include_usage = request().passthrough.client_wants_stream_usage;
    options.input_tokens_estimate =
        static_cast<std::int64_t>((request().passthrough.body.size() + 3) / 4);
    encoder_ = call().codec().NewStreamEncoder(options);
    if (const auto output = OutputGuardrails(); !output.empty()) {
      guard_.emplace(output, provider().config->max_response_body);
    }
  }

  void OnEvent(const sse::Event& event, std::string& out) override {
    if (event.is_comment) {  // keep-alives: the client's idle timers need them too
      if (!ended()) out.append(": ").append(event.data).append("\n\n");
      return;
    }
    events_.clear();
    decoder_->Decode(event.event, event.data, events_);
    for (canonical::StreamEvent& translated : events_) {
      RedactProviderFields(translated, api_key());
      stats_.Observe(translated);  // the provider's stream, whatever the guardrails hold back
      if (guard_) {
        guard_->Observe(std::move(translated), guarded_);
      } else {
        encoder_->Encode(translated, out);
      }
    }
    if (guard_) EncodeGuarded(out);
    if (decoder_->saw_end()) EndStream(out);
  }

  // A stream that closed without the provider's end marker is complete if the provider said why
  // it finished; otherwise it was cut short, and the client must not take it for a whole answer.
  void OnStreamClosed(std::string& out) override {
    if (ended()) return;
    if (stats_.saw_finish) return EndStream(out);
    const Error error =
        Error::UpstreamProtocol("the provider's stream ended before the answer was complete");
    MarkFailed(error, providers::ErrorClass::kRetryable);
    result_.record.outcome = ledger::AttemptOutcome::kStreamError;
    // Before the commit point the router may still try elsewhere: nothing goes to the client.
    if (result_.committed || !out.empty()) encoder_->Fail(error, out);
  }

  void OnStreamBroken(const Error& error, std::string& out) override {
    encoder_->Fail(error, out);
  }

  canonical::Usage StreamUsage() const override {
    if (decoder_ && decoder_->usage().reported) return decoder_->usage();
    return stats_.Estimate(request().passthrough.body.size());
  }
  bool stream_usage_reported() const override { return decoder_ && decoder_->usage().reported; }
  bool saw_content() const override { return stats_.saw_content; }
  const std::string& stream_error() const override { return stats_.error; }
  bool keeps_provider_content_type() const override { return false; }

  // What the stream guard passed on, encoded; the refusal when it stopped the answer.
  void EncodeGuarded(std::string& out) {
    for (const canonical::StreamEvent& event : guarded_) encoder_->Encode(event, out);
    guarded_.clear();
    if (!guard_->stopped() || guard_stopped_) return;
    guard_stopped_ = true;
    RecordFired();
    const Error error = Refuse(guard_->outcome());
    if (result_.committed) encoder_->Fail(error, out);
  }

  void RecordFired() {
    if (fired_recorded_) return;
    fired_recorded_ = true;
    guardrails::AppendFired(guard_->outcome().fired, call().record().guardrails);
  }

  // Ends the client's stream normally, with the cost comment before its terminator — after the
  // stream guard let go of what it held and its whole-answer checks passed.
  void EndStream(std::string& out) {
    if (ended()) return;
    if (guard_) {
      guard_->End(guarded_);
      EncodeGuarded(out);
      if (guard_stopped_) return;
      if (guard_->awaiting_external()) {
        deferred_ = true;  // EndDeferred finishes it
        return;
      }
    }
    FinishClientStream(out);
  }

  void FinishClientStream(std::string& out) {
    if (guard_) RecordFired();
    finished_ = true;
    encoder_->Finish(out, CostComment(StreamUsage()));
  }
  bool ended() const { return finished_ || guard_stopped_ || deferred_ || encoder_->failed(); }

  std::unique_ptr<providers::StreamDecoder> decoder_;  // set once a stream starts
  std::unique_ptr<inbound::StreamEncoder> encoder_;
  std::vector<canonical::StreamEvent> events_;  // reused between events
  canonical::StreamStats stats_;
  std::optional<guardrails::StreamGuard> guard_;  // the call's output guardrails, if any
  std::vector<canonical::StreamEvent> guarded_;   // what the guard passed on, reused
  bool guard_stopped_ = false;
  bool fired_recorded_ = false;
  bool deferred_ = false;  // the stream's end waits for the output webhooks (EndDeferred)
  bool finished_ = false;
};

}  // namespace

Task<AttemptResult> RunTranslatedAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                                         const AttemptInput& input) {
  TranslatedRun run(worker, call, downstream, input);
  co_return co_await run.Run();
}

}  // namespace switchyard::gateway

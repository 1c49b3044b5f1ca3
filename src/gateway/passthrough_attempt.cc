// PassthroughRun: an attempt at a target that speaks the client's wire format. The client's bytes
// go up with only the gateway-owned fields rewritten; the answer comes back as the provider sent it
// — whole, or event by event, each event's own bytes — with the usage read on the way and the
// gateway's cost comment put just before the stream's terminator. What is relayed is checked
// cheaply for being an answer at all: a whole answer must be shaped like one JSON object, and a
// stream must end with its format's end (or say why it finished); anything else is an upstream
// error.
#include "core/redact.h"
#include "gateway/attempt_run.h"
#include "json/object_skim.h"
#include "sse/event_bytes.h"

namespace switchyard::gateway {
namespace {

// Whether `body` is shaped like one whole JSON object: a skim of its top level (json/object_skim.h)
// that reaches the closing brace with nothing after it. A truncated body, plain text or HTML is
// not; the client parses the rest. The strict scan (json/object_scan.h) cost 7.6k instructions on
// a 500-byte answer, 9% of a call; the skim is a fraction of that.
bool ShapedLikeOneObject(std::string_view body) {
  json::ObjectSkim skim(body);
  while (skim.Next()) {
  }
  return skim.ended_whole();
}

class PassthroughRun final : public AttemptRun {
 public:
  using AttemptRun::AttemptRun;

 private:
  Result<providers::EncodedRequest> BuildRequest(const providers::UpstreamTarget& target) override {
    auto upstream = provider().adapter->BuildPassthroughRequest(request().passthrough, target);
    if (!upstream) return std::move(upstream).error();
    return providers::EncodedRequest{std::move(upstream).value(), {}};
  }

  // A truncated, plain-text or HTML 200 is no answer: an error before the commit point, so that
  // the router may try elsewhere and the ledger does not book it as a $0 success.
  Task<Result<std::string>> ConvertWhole(std::string body) override {
    if (!ShapedLikeOneObject(body)) {
      co_return Error::UpstreamProtocol(
          "the provider's answer is not a JSON object (truncated, or not JSON)");
    }
    result_.record.usage =
        provider().adapter->ParseResponseUsage(request().passthrough.operation, body);
    co_return body;
  }

  void OnStreamStart() override {
    tap_ = provider().adapter->NewStreamTap(!request().passthrough.client_wants_stream_usage);
  }

  void OnEvent(const sse::Event& event, std::string& out) override {
    if (event.is_comment) {  // keep-alives: the client's idle timers need them too
      sse::AppendEventBytes(event, out);
      return;
    }
    if (tap_->OnData(event.data) == providers::StreamTap::Verdict::kHide) return;
    if (tap_->saw_end() && !cost_comment_sent_) {  // the event is the terminator
      out.append(CostComment(StreamUsage()));
      cost_comment_sent_ = true;
    }
    // An error the provider sent inside the stream may quote the key it refused.
    if (tap_->stream_error().empty()) {
      sse::AppendEventBytes(event, out);
    } else {
      sse::AppendEventBytes(RedactSecrets(event.raw, api_key()), out);
    }
  }

  // A provider that sent no terminator: the comment still ends the stream if the provider said
  // why the answer finished (or reported an error, which FinishStream records); otherwise the
  // stream was cut short and the client gets its API's error event, not a stream that looks whole.
  void OnStreamClosed(std::string& out) override {
    if (cost_comment_sent_) return;
    cost_comment_sent_ = true;
    if (tap_->saw_end() || tap_->saw_finish() || !tap_->stream_error().empty()) {
      out.append(CostComment(StreamUsage()));
      return;
    }
    const Error error =
        Error::UpstreamProtocol("the provider's stream ended before the answer was complete");
    MarkFailed(error, providers::ErrorClass::kRetryable);
    result_.record.outcome = ledger::AttemptOutcome::kStreamError;
    // Before the commit point the router may still try elsewhere: nothing goes to the client.
    if (result_.committed || !out.empty()) out.append(call().codec().FormatStreamError(error));
  }

  void OnStreamBroken(const Error& error, std::string& out) override {
    out.append(call().codec().FormatStreamError(error));
  }

  canonical::Usage StreamUsage() const override {
    if (!tap_) return {};
    return tap_->usage().reported ? tap_->usage()
                                  : tap_->EstimatedUsage(request().passthrough.body.size());
  }
  bool stream_usage_reported() const override { return tap_ && tap_->usage().reported; }
  bool saw_content() const override { return tap_ && tap_->saw_content(); }
  const std::string& stream_error() const override {
    static const std::string kNone;
    return tap_ ? tap_->stream_error() : kNone;
  }
  bool keeps_provider_content_type() const override { return true; }

  std::unique_ptr<providers::StreamTap> tap_;  // set once a stream starts
  bool cost_comment_sent_ = false;
};

}  // namespace

Task<AttemptResult> RunPassthroughAttempt(Worker& worker, Call& call, http::Downstream& downstream,
                                          const AttemptInput& input) {
  PassthroughRun run(worker, call, downstream, input);
  co_return co_await run.Run();
}

}  // namespace switchyard::gateway

// PassthroughRun: an attempt at a target that speaks the client's wire format. The client's bytes
// go up with only the gateway-owned fields rewritten; the answer comes back as the provider sent it
// — whole, or event by event — with the usage read on the way and the gateway's cost comment put
// just before the stream's terminator.
#include "gateway/attempt_run.h"

namespace switchyard::gateway {
namespace {

class PassthroughRun final : public AttemptRun {
 public:
  using AttemptRun::AttemptRun;

 private:
  Result<providers::EncodedRequest> BuildRequest(const providers::UpstreamTarget& target) override {
    auto upstream = provider().adapter->BuildPassthroughRequest(request().passthrough, target);
    if (!upstream) return std::move(upstream).error();
    return providers::EncodedRequest{std::move(upstream).value(), {}};
  }

  Result<std::string> ConvertWhole(std::string body) override {
    result_.record.usage =
        provider().adapter->ParseResponseUsage(request().passthrough.operation, body);
    return body;
  }

  void OnStreamStart() override {
    tap_ = provider().adapter->NewStreamTap(!request().passthrough.client_wants_stream_usage);
  }

  void OnEvent(const sse::Event& event, std::string& out) override {
    if (event.is_comment) {  // keep-alives: the client's idle timers need them too
      out.append(": ").append(event.data).append("\n\n");
      return;
    }
    if (tap_->OnData(event.data) == providers::StreamTap::Verdict::kHide) return;
    if (tap_->saw_end() && !cost_comment_sent_) {  // the event is the terminator
      out.append(CostComment(StreamUsage()));
      cost_comment_sent_ = true;
    }
    if (!event.event.empty()) out.append("event: ").append(event.event).append("\n");
    out.append("data: ").append(event.data).append("\n\n");
  }

  // A provider that sent no terminator: the comment still ends the stream.
  void OnStreamClosed(std::string& out) override {
    if (!cost_comment_sent_) out.append(CostComment(StreamUsage()));
    cost_comment_sent_ = true;
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

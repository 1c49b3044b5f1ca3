// MessagesStreamEncoder: canonical stream events → an Anthropic Messages SSE stream
// (wire-formats.md §3.4, §6.10), in the shapes the Anthropic SDK's MessageStream requires:
//
// - every event has its `event:` line (the SDK dispatches on it);
// - message_start first, once, with the provider's input usage, or options.input_tokens_estimate
//   while none is known (an OpenAI upstream reports usage only at the end);
// - exactly one open content block at a time, indices 0, 1, 2, ...: text, thinking (a signature
//   ends it with signature_delta; none is sent when the provider had none), redacted_thinking
//   (complete at its start), tool_use (input {} at its start, then input_json_delta fragments);
// - tool calls whose arguments interleave (a provider streaming two calls at once) cannot
//   interleave in Anthropic blocks: a call that starts while another's arguments are still an
//   incomplete JSON text waits, buffered, until that one's arguments complete (or the turn ends);
// - message_delta (stop_reason, stop_sequence, usage with output_tokens) only at Finish, because
//   an OpenAI upstream's usage comes after its finish chunk; then the trailer and message_stop;
// - errors are `event: error` with Anthropic's error shape.
//
// Ownership: owns its state and the buffered fragments. Thread-safety: none; one encoder per
// stream.
#pragma once

#include <boost/json/object.hpp>
#include <deque>
#include <map>
#include <string>

#include "inbound/inbound_codec.h"

namespace switchyard::inbound::anthropic {

class MessagesStreamEncoder : public StreamEncoder {
 public:
  explicit MessagesStreamEncoder(const StreamEncoderOptions& options);

  void Encode(const canonical::StreamEvent& event, std::string& out) override;
  void Finish(std::string& out, std::string_view trailer) override;
  bool failed() const override { return failed_; }
  void Fail(const Error& error, std::string& out) override;

 private:
  enum class Open { kNone, kText, kThinking, kTool };

  // Tracks whether a streamed JSON text is complete (brackets balanced, outside strings).
  class JsonProgress {
   public:
    void Feed(std::string_view fragment);
    bool complete() const { return started_ && depth_ == 0 && !in_string_; }

   private:
    int depth_ = 0;
    bool started_ = false;
    bool in_string_ = false;
    bool escaped_ = false;
  };

  struct Tool {
    std::string id;
    std::string name;
    std::string pending;  // fragments that arrived before its block could open
    JsonProgress progress;
  };

  void Start(const canonical::StreamEvent* event, std::string& out);
  void OpenBlock(Open kind, boost::json::object content_block, std::string& out);
  void CloseBlock(std::string& out);
  void WriteBlockDelta(boost::json::object delta, std::string& out);
  void OpenTextLike(Open kind, std::string& out);
  void OnToolStart(const canonical::StreamEvent& event, std::string& out);
  void OnToolDelta(const canonical::StreamEvent& event, std::string& out);
  void ActivateTool(int ordinal, std::string& out);
  void AdvanceTools(std::string& out);
  void FlushTools(std::string& out);
  void OnThinkingSignature(const std::string& signature, std::string& out);

  const StreamEncoderOptions options_;
  bool started_ = false;
  bool closed_ = false;
  bool failed_ = false;
  Open open_ = Open::kNone;
  bool thinking_signed_ = false;  // the open thinking block already got its signature
  int next_index_ = 0;            // the next content block index
  std::map<int, Tool> tools_;     // by call ordinal, until their block closes
  int active_tool_ = -1;          // the call whose block is open
  std::deque<int> waiting_tools_;  // calls started while another's arguments were incomplete
  bool saw_tool_calls_ = false;
  bool saw_finish_ = false;
  canonical::FinishReason finish_reason_ = canonical::FinishReason::kStop;
  std::string stop_sequence_;
  canonical::Usage usage_;
};

}  // namespace switchyard::inbound::anthropic

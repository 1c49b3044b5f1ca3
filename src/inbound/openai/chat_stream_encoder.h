// ChatStreamEncoder: canonical stream events → an OpenAI Chat Completions SSE stream
// (wire-formats.md §1.4, §6.10), in the shapes the OpenAI SDK's ChatCompletionStream requires:
//
// - the first chunk carries delta {role:"assistant", content:"", refusal:null};
// - text → delta.content; thinking → delta.reasoning_content; a thinking signature or redacted
//   thinking → delta.thinking_blocks holding every signed block so far (the SDK keeps the last
//   value of a non-standard field; see wire/openai/openai_format.h);
// - a tool call's first fragment carries index (the call ordinal), id, type and function.name with
//   arguments "" (or what came with the start); later fragments only index and arguments;
// - one finish chunk (delta {}, finish_reason) — synthesized at Finish when the provider sent none
//   ("tool_calls" if calls were seen, else "stop");
// - with include_usage: "usage":null on every chunk, then a chunk with choices [] and the usage
//   after the finish chunk; then the trailer and "data: [DONE]";
// - every choice carries logprobs:null; errors are data: {"error":{...}} with no [DONE] after.
//
// Ownership: owns its state and copies of what it must repeat. Thread-safety: none; one encoder
// per stream.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "inbound/inbound_codec.h"

namespace switchyard::inbound::openai {

class ChatStreamEncoder : public StreamEncoder {
 public:
  explicit ChatStreamEncoder(const StreamEncoderOptions& options);

  void Encode(const canonical::StreamEvent& event, std::string& out) override;
  void Finish(std::string& out, std::string_view trailer) override;
  bool failed() const override { return failed_; }
  void Fail(const Error& error, std::string& out) override;

 private:
  void Start(const canonical::StreamEvent* event, std::string& out);
  void WriteDelta(boost::json::object delta, std::string& out);
  void WriteFinish(canonical::FinishReason reason, std::string& out);
  void WriteChunk(boost::json::array choices, bool usage_chunk, std::string& out);
  void WriteToolStart(const canonical::StreamEvent& event, std::string& out);
  void AddThinkingBlock(boost::json::object block, std::string& out);

  const StreamEncoderOptions options_;
  std::string id_;
  std::string model_;
  bool started_ = false;
  bool finish_sent_ = false;
  bool closed_ = false;  // Finish or an error ended the stream
  bool failed_ = false;
  bool saw_tool_calls_ = false;
  canonical::Usage usage_;
  std::string thinking_;            // the current thinking block's text so far
  boost::json::array thinking_blocks_;  // every signed or redacted block so far
};

}  // namespace switchyard::inbound::openai

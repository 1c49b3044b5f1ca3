// OpenAIStreamDecoder: an OpenAI Chat Completions SSE stream (wire-formats.md §1.4, §5) as canonical
// stream events, chunk by chunk:
//
// - the first chunk gives kStart (id, model, created), whatever else it carries (in a tool-call
//   turn it already holds the first tool-call fragment);
// - only choice 0 is read; reasoning_content / reasoning → thinking, content and refusal → text;
// - tool-call fragments: a new `index` starts a call (ordinals 0, 1, ... in order of appearance;
//   an id is synthesized when a host sent none), arguments become fragments ("" skipped);
// - finish_reason → kFinish (eos, model_length, ... mapped as openai_format.h says);
// - a top-level usage object (on its own chunk with choices [], or on the finish chunk) → kUsage;
// - data: {"error":...} → kError; [DONE] → kEnd.
//
// Ownership: owns its state. Thread-safety: none; one decoder per stream.
#pragma once

#include <map>

#include "providers/provider_adapter.h"

namespace switchyard::providers::openai_compat {

class OpenAIStreamDecoder : public StreamDecoder {
 public:
  void Decode(std::string_view event_name, std::string_view data,
              std::vector<canonical::StreamEvent>& out) override;
  const canonical::Usage& usage() const override { return usage_; }
  bool saw_end() const override { return saw_end_; }

 private:
  void DecodeDelta(const boost::json::object& delta, std::vector<canonical::StreamEvent>& out);
  void DecodeToolCall(const boost::json::object& call, std::size_t position,
                      std::vector<canonical::StreamEvent>& out);

  bool started_ = false;
  std::map<std::int64_t, int> tool_ordinals_;  // the host's tool-call index → call ordinal
  canonical::Usage usage_;
  bool saw_end_ = false;
};

}  // namespace switchyard::providers::openai_compat

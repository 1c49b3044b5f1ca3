// GeminiStreamDecoder: a Gemini streamGenerateContent?alt=sse stream (wire-formats.md §4.4, §6.10)
// as canonical stream events. Each SSE event's data is a whole GenerateContentResponse holding only
// the new parts; the `event:` name is unused (Gemini sends none).
//
// - kStart on the first chunk (responseId, modelVersion, and its usage when it has some).
// - From candidates[0]: text → kTextDelta; thought parts → kThinkingDelta; a thoughtSignature →
//   kThinkingSignature (marked, gemini_format.h), after the thought it ends or before the text or
//   call it came on, matching the response decoder's order; each functionCall, which Gemini sends
//   whole, → one kToolCallStart with ordinals 0, 1, ... across the stream and the complete args in
//   arguments_json (no deltas follow).
// - finishReason → kFinish (kToolCalls for STOP when a call was seen); a blocked prompt (no
//   candidates, promptFeedback.blockReason) → kFinish kContentFilter.
// - usageMetadata → kUsage with the complete usage: Gemini repeats running totals, so the latest
//   replaces the earlier ones (never summed); usage() returns it.
// - The end: Gemini has no terminator (EOF ends the stream), so the chunk that carries the
//   finishReason (or the blocked-prompt feedback) counts as the end: kEnd follows its kFinish and
//   kUsage. A usageMetadata that still comes after it updates usage and yields kUsage; a second
//   finishReason is ignored.
// - {"error": {...}} (or [{"error": ...}]) inside the stream → kError with the message and an
//   error type from its status (gemini_format.h).
// - Data that is not a JSON object is skipped.
//
// Ownership: owns its state. Thread-safety: none; one decoder per stream.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/provider_adapter.h"

namespace switchyard::providers::gemini {

class GeminiStreamDecoder : public StreamDecoder {
 public:
  void Decode(std::string_view event_name, std::string_view data,
              std::vector<canonical::StreamEvent>& out) override;
  const canonical::Usage& usage() const override { return usage_; }
  bool saw_end() const override { return saw_end_; }

 private:
  void OnStart(const boost::json::object& chunk, std::vector<canonical::StreamEvent>& out);
  void OnPart(const boost::json::object& part, std::vector<canonical::StreamEvent>& out);
  void OnFinish(canonical::FinishReason reason, std::vector<canonical::StreamEvent>& out);
  void OnUsage(const boost::json::object& usage_metadata, std::vector<canonical::StreamEvent>& out);

  bool started_ = false;
  bool finished_ = false;
  bool saw_end_ = false;
  int next_tool_ordinal_ = 0;
  std::string response_id_;  // the first chunk's, for synthesized call ids
  canonical::Usage usage_;
};

}  // namespace switchyard::providers::gemini

// ResponseAssembler: a stream's canonical events rebuilt into the whole canonical answer, within a
// byte bound — what the response cache stores for a streamed call, so that it can later be
// replayed as a JSON answer or as a stream in any client format.
//
// It keeps what the client was shown: content after the finish is ignored and argument deltas of
// a call that never started are dropped, as the stream encoders do. Consecutive text deltas become
// one text part, consecutive thinking deltas one thinking part (closed by its signature).
//
// Not thread-safe: one assembler per stream, fed from the strand that reads it. Owns what it
// keeps.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string_view>

#include "canonical/chat.h"

namespace switchyard::capture {

class ResponseAssembler {
 public:
  // Keeps at most `max_bytes` of the answer's strings (text, thinking and its signatures,
  // redacted thinking, tool call ids, names and arguments, the response id, model and stop
  // sequence), plus kEntryOverheadBytes for each content part and tool call (so that a flood of
  // tiny parts is bounded too); past it the assembler is `overflowed` and lets go of what it held.
  static constexpr std::size_t kEntryOverheadBytes = 64;
  explicit ResponseAssembler(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void Observe(const canonical::StreamEvent& event);

  // The whole answer (role assistant; tool calls in ordinal order), once the stream said how it
  // finished (a kFinish) with no kError and within the bound; nullopt otherwise (cut short,
  // failed, overflowed). Consumes the assembler.
  std::optional<canonical::ChatResponse> Take() &&;

  bool overflowed() const { return overflowed_; }
  bool failed() const { return failed_; }    // a kError came
  bool finished() const { return finished_; }  // a kFinish came

 private:
  using Kind = canonical::ContentPart::Kind;

  void OnStart(const canonical::StreamEvent& event);
  void OnContent(const canonical::StreamEvent& event);
  // A new part of `kind` at the end; nullptr when it does not fit the bound.
  canonical::ContentPart* NewPart(Kind kind);
  // The part to append a delta of `kind` to: the last one when it is of that kind and still open
  // (a thinking part closes with its signature), else a new one; nullptr when that does not fit.
  canonical::ContentPart* OpenPart(Kind kind);
  void OnToolStart(const canonical::StreamEvent& event);
  void OnToolDelta(const canonical::StreamEvent& event);
  // Counts `bytes` more against the bound; false (and overflowed) when they do not fit.
  bool Keep(std::size_t bytes);
  void Append(std::string& to, std::string_view bytes);

  const std::size_t max_bytes_;
  std::size_t kept_ = 0;
  canonical::ChatResponse response_;
  std::map<int, canonical::ToolCall> tool_calls_;  // by ordinal
  bool started_ = false;
  bool thinking_open_ = false;  // the last part is a thinking part its signature has not closed
  bool overflowed_ = false;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace switchyard::capture

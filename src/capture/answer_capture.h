// AnswerCapture: the answer a response carries, assembled as it passes — its text and its tool
// calls, from a whole canonical response or from a stream's canonical events — within a bound.
// The shared piece for whatever must judge a whole answer before the client gets it (a race's
// accept checks; later the response cache and output guardrails).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "canonical/chat.h"

namespace switchyard::capture {

class AnswerCapture {
 public:
  // At most `max_text_bytes` of text are kept; past it the capture is `overflowed`.
  explicit AnswerCapture(std::size_t max_text_bytes) : max_text_bytes_(max_text_bytes) {}

  void Observe(const canonical::StreamEvent& event);
  void Observe(const canonical::ChatResponse& response);

  // The answer's text, every text part in order (reasoning left out).
  std::string_view text() const { return text_; }
  int tool_calls() const { return tool_calls_; }
  bool overflowed() const { return overflowed_; }

 private:
  void AppendText(std::string_view text);

  const std::size_t max_text_bytes_;
  std::string text_;
  int tool_calls_ = 0;
  bool overflowed_ = false;
};

}  // namespace switchyard::capture

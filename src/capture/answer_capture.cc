#include "capture/answer_capture.h"

namespace switchyard::capture {

void AnswerCapture::Observe(const canonical::StreamEvent& event) {
  using Kind = canonical::StreamEvent::Kind;
  if (event.kind == Kind::kTextDelta) AppendText(event.text);
  if (event.kind == Kind::kToolCallStart) ++tool_calls_;
}

void AnswerCapture::Observe(const canonical::ChatResponse& response) {
  for (const canonical::ContentPart& part : response.message.content) {
    if (part.kind == canonical::ContentPart::Kind::kText) AppendText(part.text);
  }
  tool_calls_ += static_cast<int>(response.message.tool_calls.size());
}

void AnswerCapture::AppendText(std::string_view text) {
  if (overflowed_) return;
  if (text.size() > max_text_bytes_ - text_.size()) {
    overflowed_ = true;
    return;
  }
  text_.append(text);
}

}  // namespace switchyard::capture

#include "providers/gemini/gemini_stream_tap.h"

namespace switchyard::providers::gemini {
using Kind = canonical::StreamEvent::Kind;

StreamTap::Verdict GeminiStreamTap::OnData(std::string_view data) {
  events_.clear();
  decoder_.Decode({}, data, events_);
  for (const canonical::StreamEvent& event : events_) {
    switch (event.kind) {
      case Kind::kTextDelta:
      case Kind::kThinkingDelta:
        content_bytes_ += event.text.size();
        saw_content_ = true;
        break;
      case Kind::kToolCallStart:
        content_bytes_ += event.tool_call.name.size() + event.tool_call.arguments_json.size();
        saw_content_ = true;
        break;
      case Kind::kError:
        stream_error_ = event.text;
        break;
      default:
        break;
    }
  }
  return Verdict::kForward;
}

canonical::Usage GeminiStreamTap::EstimatedUsage(std::size_t request_bytes) const {
  canonical::Usage estimate;
  estimate.input_tokens = static_cast<std::int64_t>((request_bytes + 3) / 4);
  estimate.output_tokens = static_cast<std::int64_t>((content_bytes_ + 3) / 4);
  return estimate;
}

}  // namespace switchyard::providers::gemini

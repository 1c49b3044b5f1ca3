// StreamStats: what the gateway records about a stream, read off its canonical events as they go
// by — whether content has come (time to first token), how many bytes of it (for an estimate when
// the provider never reports usage), whether the provider finished, and the error it sent.
//
// Plain value; one per stream.
#pragma once

#include <cstddef>
#include <string>

#include "canonical/chat.h"

namespace switchyard::canonical {

struct StreamStats {
  bool saw_content = false;
  bool saw_finish = false;
  std::size_t content_bytes = 0;  // streamed text: content, thinking, tool-call arguments
  std::string error;              // the provider's error message; empty when none

  void Observe(const StreamEvent& event) {
    using Kind = StreamEvent::Kind;
    switch (event.kind) {
      case Kind::kTextDelta:
      case Kind::kThinkingDelta:
      case Kind::kToolCallDelta:
        content_bytes += event.text.size();
        saw_content = true;
        break;
      case Kind::kToolCallStart:
        content_bytes += event.tool_call.name.size() + event.tool_call.arguments_json.size();
        saw_content = true;
        break;
      case Kind::kRedactedThinking: saw_content = true; break;
      case Kind::kFinish: saw_finish = true; break;
      case Kind::kError: error = event.text; break;
      default: break;
    }
  }

  // A rough usage at about four bytes per token: the request's bytes for input, the streamed
  // content's for output. The caller marks it estimated.
  Usage Estimate(std::size_t request_bytes) const {
    Usage estimate;
    estimate.input_tokens = static_cast<std::int64_t>((request_bytes + 3) / 4);
    estimate.output_tokens = static_cast<std::int64_t>((content_bytes + 3) / 4);
    return estimate;
  }
};

}  // namespace switchyard::canonical

#include "providers/anthropic/anthropic_stream_tap.h"

namespace switchyard::providers::anthropic {

StreamTap::Verdict AnthropicStreamTap::OnData(std::string_view data) {
  events_.clear();
  decoder_.Decode({}, data, events_);
  for (const canonical::StreamEvent& event : events_) stats_.Observe(event);
  return Verdict::kForward;
}

canonical::Usage AnthropicStreamTap::EstimatedUsage(std::size_t request_bytes) const {
  return stats_.Estimate(request_bytes);
}

}  // namespace switchyard::providers::anthropic

// AnthropicStreamTap: watches an Anthropic SSE stream pass through unchanged (same-format calls):
// usage from message_start and message_delta (cumulative, never summed), errors sent inside the
// stream, content for time to first token, and message_stop. It reads each event through the
// AnthropicStreamDecoder, dispatching on the data's "type" (the tap sees data only). Anthropic
// streams always carry usage, so no event is ever hidden.
//
// Ownership: owns its decoder. Thread-safety: none; one tap per stream.
#pragma once

#include <string>
#include <vector>

#include "canonical/stream_stats.h"
#include "providers/anthropic/anthropic_stream_decoder.h"
#include "providers/provider_adapter.h"

namespace switchyard::providers::anthropic {

class AnthropicStreamTap : public StreamTap {
 public:
  Verdict OnData(std::string_view data) override;
  const canonical::Usage& usage() const override { return decoder_.usage(); }
  bool saw_content() const override { return stats_.saw_content; }
  const std::string& stream_error() const override { return stats_.error; }
  bool saw_end() const override { return decoder_.saw_end(); }
  bool saw_finish() const override { return stats_.saw_finish; }
  canonical::Usage EstimatedUsage(std::size_t request_bytes) const override;

 private:
  AnthropicStreamDecoder decoder_;
  std::vector<canonical::StreamEvent> events_;  // reused between calls
  canonical::StreamStats stats_;
};

}  // namespace switchyard::providers::anthropic

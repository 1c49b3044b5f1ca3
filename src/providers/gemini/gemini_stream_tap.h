// GeminiStreamTap: the StreamTap a same-format Gemini call would use. No client speaks Gemini's
// API to this gateway, so that call never happens (gemini_adapter.h); the tap exists to honour the
// interface without pretending: it reads each event through the GeminiStreamDecoder for usage
// (the latest usageMetadata), content for time to first token, errors inside the stream and the
// finishing chunk (Gemini's stream has no terminator), and never hides an event (Gemini always
// reports usage).
//
// Ownership: owns its decoder. Thread-safety: none; one tap per stream.
#pragma once

#include <string>
#include <vector>

#include "providers/gemini/gemini_stream_decoder.h"
#include "providers/provider_adapter.h"

namespace switchyard::providers::gemini {

class GeminiStreamTap : public StreamTap {
 public:
  Verdict OnData(std::string_view data) override;
  const canonical::Usage& usage() const override { return decoder_.usage(); }
  bool saw_content() const override { return saw_content_; }
  const std::string& stream_error() const override { return stream_error_; }
  bool saw_end() const override { return decoder_.saw_end(); }
  // Gemini's stream has no marker: its end is the chunk with a finishReason.
  bool saw_finish() const override { return decoder_.saw_end(); }
  canonical::Usage EstimatedUsage(std::size_t request_bytes) const override;

 private:
  GeminiStreamDecoder decoder_;
  std::vector<canonical::StreamEvent> events_;  // reused between calls
  bool saw_content_ = false;
  std::size_t content_bytes_ = 0;
  std::string stream_error_;
};

}  // namespace switchyard::providers::gemini

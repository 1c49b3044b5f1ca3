// OpenAIStreamTap: watches an OpenAI-format SSE stream go by. It reads usage from the chunk that
// carries it, hides that chunk when only the gateway asked for it, notices errors sent inside the
// stream (OpenRouter reports late failures that way), and the [DONE] marker. It parses JSON only for
// the rare chunks that need it: plain content chunks are recognised by a byte search.
#pragma once

#include <string>

#include "providers/provider_adapter.h"

namespace switchyard::providers::openai_compat {

class OpenAIStreamTap : public StreamTap {
 public:
  explicit OpenAIStreamTap(bool hide_usage_chunk) : hide_usage_chunk_(hide_usage_chunk) {}

  Verdict OnData(std::string_view data) override;
  const canonical::Usage& usage() const override { return usage_; }
  bool saw_content() const override { return saw_content_; }
  const std::string& stream_error() const override { return stream_error_; }
  bool saw_end() const override { return saw_end_; }
  bool saw_finish() const override { return saw_finish_; }
  canonical::Usage EstimatedUsage(std::size_t request_bytes) const override;

 private:
  const bool hide_usage_chunk_;
  canonical::Usage usage_;
  bool saw_content_ = false;
  bool saw_end_ = false;
  bool saw_finish_ = false;
  std::size_t content_bytes_ = 0;  // bytes of streamed text (content, refusal, reasoning, tool args)
  std::string stream_error_;
};

}  // namespace switchyard::providers::openai_compat

// AnthropicAdapter: the Anthropic Messages wire format (POST {base}/v1/messages), for Anthropic
// and hosts that speak its format. Auth is x-api-key (or the host row's style);
// anthropic-version is the client's when an Anthropic client sent one, else 2023-06-01; the
// client's anthropic-beta is passed on. Stateless and shared; taps and stream decoders are per
// attempt.
#pragma once

#include "providers/provider_adapter.h"

namespace switchyard::providers::anthropic {

class AnthropicAdapter : public ProviderAdapter {
 public:
  wire::Format wire_format() const override { return wire::Format::kAnthropic; }

  // Same-format calls: the client's body with `model` (and a route target's params) rewritten.
  // Failure: InvalidRequest for embeddings, which Anthropic does not offer.
  Result<http::UpstreamRequest> BuildPassthroughRequest(const PassthroughRequest& request,
                                                        const UpstreamTarget& target) const override;
  canonical::Usage ParseResponseUsage(Operation operation, std::string_view body) const override;
  std::unique_ptr<StreamTap> NewStreamTap(bool hide_usage_chunk) const override;
  ProviderError ParseError(int status, std::string_view body) const override;
  std::optional<std::chrono::milliseconds> RateLimitReset(
      const http::HeaderLookup& header, std::chrono::system_clock::time_point now) const override;

  Result<EncodedRequest> EncodeRequest(const canonical::ChatRequest& request,
                                       const UpstreamTarget& target) const override;
  Result<canonical::ChatResponse> DecodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> NewStreamDecoder() const override;
};

}  // namespace switchyard::providers::anthropic

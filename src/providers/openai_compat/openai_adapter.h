// OpenAIAdapter: the OpenAI wire format, for OpenAI itself and every OpenAI-compatible host. Host
// differences come from the host's quirk row (hosts/host_profile.h), never from its name.
#pragma once

#include "providers/provider_adapter.h"

namespace switchyard::providers::openai_compat {

class OpenAIAdapter : public ProviderAdapter {
 public:
  wire::Format wire_format() const override { return wire::Format::kOpenAI; }
  Result<http::UpstreamRequest> BuildPassthroughRequest(const PassthroughRequest& request,
                                                        const UpstreamTarget& target) const override;
  canonical::Usage ParseResponseUsage(Operation operation, std::string_view body) const override;
  std::unique_ptr<StreamTap> NewStreamTap(bool hide_usage_chunk) const override;
  ProviderError ParseError(int status, std::string_view body) const override;
  std::optional<std::chrono::milliseconds> RateLimitReset(
      const http::HeaderLookup& header, std::chrono::system_clock::time_point now) const override;

  // The translated path: openai_request_encoder, openai_response_decoder, openai_stream_decoder.
  Result<EncodedRequest> EncodeRequest(const canonical::ChatRequest& request,
                                       const UpstreamTarget& target) const override;
  Result<canonical::ChatResponse> DecodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> NewStreamDecoder() const override;
};

}  // namespace switchyard::providers::openai_compat

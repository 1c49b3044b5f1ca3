// GeminiAdapter: the Gemini generateContent wire format (Google AI Studio, v1beta; wire-formats.md
// §4), for the translated path only. A call goes to
//   POST {base}/models/{model}:generateContent, or
//   POST {base}/models/{model}:streamGenerateContent?alt=sse for streams,
// where {base} is the provider's base URL (https://generativelanguage.googleapis.com/v1beta for the
// known host) and {model} the target model without any "models/" prefix. The key goes in the
// x-goog-api-key header (or the host row's auth style), never in a ?key= query, so that it stays
// out of URL logs. The provider's configured headers are added; no client header is passed on.
// A route target's params are merged over the body's top-level members last (so a
// "generationConfig" there replaces the encoded one whole).
//
// No client speaks Gemini's API to this gateway, so the same-format pass-through never happens:
// BuildPassthroughRequest refuses, and the stream tap exists only to honour the interface.
//
// Stateless and shared; taps and stream decoders are per attempt.
#pragma once

#include <string>
#include <string_view>

#include "providers/provider_adapter.h"

namespace switchyard::providers::gemini {

class GeminiAdapter : public ProviderAdapter {
 public:
  wire::Format wire_format() const override { return wire::Format::kGemini; }

  // Failure: always InvalidRequest; there is no Gemini client API to pass through.
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

// The request target (path and query) under the base path for `model`: "models/" stripped, bytes
// outside [A-Za-z0-9._~-] percent-encoded so that no model name can add a path or a query.
std::string GeminiPath(std::string_view model, bool stream);

}  // namespace switchyard::providers::gemini

#include "providers/gemini/gemini_adapter.h"

#include <fmt/format.h>

#include "canonical/encoded_request.h"
#include "canonical/json_values.h"
#include "providers/gemini/gemini_error_parser.h"
#include "wire/gemini/gemini_format.h"
#include "providers/gemini/gemini_request_encoder.h"
#include "providers/gemini/gemini_response_decoder.h"
#include "providers/gemini/gemini_stream_decoder.h"
#include "providers/gemini/gemini_stream_tap.h"

namespace switchyard::providers::gemini {
using wire::gemini::UsageFromGemini;

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AddAuth(const UpstreamTarget& target, http::HeaderList& headers) {
  if (target.api_key.empty()) return;
  const hosts::AuthStyle style =
      target.provider->profile ? target.provider->profile->auth : hosts::AuthStyle::kGoogApiKey;
  const std::string key(target.api_key);
  switch (style) {
    case hosts::AuthStyle::kBearer: headers.emplace_back("Authorization", "Bearer " + key); break;
    case hosts::AuthStyle::kXApiKey: headers.emplace_back("x-api-key", key); break;
    case hosts::AuthStyle::kGoogApiKey: headers.emplace_back("x-goog-api-key", key); break;
  }
}

http::UpstreamRequest MakeRequest(std::string body, bool stream, const UpstreamTarget& target) {
  http::UpstreamRequest upstream;
  upstream.method = "POST";
  upstream.target = target.endpoint->Target(GeminiPath(target.model, stream));
  upstream.body = std::move(body);
  upstream.headers.emplace_back("Content-Type", "application/json");
  upstream.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  upstream.headers.emplace_back("User-Agent", "switchyard/" SWITCHYARD_VERSION);
  AddAuth(target, upstream.headers);
  for (const auto& [name, value] : target.provider->headers) {
    upstream.headers.emplace_back(name, value);
  }
  return upstream;
}

}  // namespace

std::string GeminiPath(std::string_view model, bool stream) {
  if (model.starts_with("models/")) model.remove_prefix(7);
  std::string path = "/models/";
  for (unsigned char c : model) {
    if (IsUnreserved(c)) {
      path += static_cast<char>(c);
    } else {
      path += fmt::format("%{:02X}", c);
    }
  }
  path += stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
  return path;
}

Result<http::UpstreamRequest> GeminiAdapter::BuildPassthroughRequest(const PassthroughRequest&,
                                                                     const UpstreamTarget&) const {
  return Error::InvalidRequest(
      "the gemini wire format has no pass-through: no client speaks it to this gateway");
}

canonical::Usage GeminiAdapter::ParseResponseUsage(Operation, std::string_view body) const {
  std::optional<boost::json::object> root = canonical::ParseObject(body);
  const boost::json::object* usage = root ? canonical::ObjectField(*root, "usageMetadata") : nullptr;
  return usage != nullptr ? UsageFromGemini(*usage) : canonical::Usage{};
}

std::unique_ptr<StreamTap> GeminiAdapter::NewStreamTap(bool) const {
  return std::make_unique<GeminiStreamTap>();
}

ProviderError GeminiAdapter::ParseError(int status, std::string_view body) const {
  return ParseGeminiError(status, body);
}

// Gemini sends no rate-limit headers; the wait it asks for on a 429 is RetryInfo.retryDelay in the
// error body, which ParseGeminiError reads into ProviderError::retry_delay.
std::optional<std::chrono::milliseconds> GeminiAdapter::RateLimitReset(
    const http::HeaderLookup&, std::chrono::system_clock::time_point) const {
  return std::nullopt;
}

Result<EncodedRequest> GeminiAdapter::EncodeRequest(const canonical::ChatRequest& request,
                                                    const UpstreamTarget& target) const {
  auto encoded = EncodeGeminiRequest(request);
  if (!encoded) return std::move(encoded).error();
  auto body = canonical::MergeRouteParams(std::move(encoded->body), target.params_json);
  if (!body) return std::move(body).error();
  EncodedRequest out;
  out.upstream = MakeRequest(std::move(body).value(), request.stream, target);
  out.dropped_params = std::move(encoded->dropped_params);
  return out;
}

Result<canonical::ChatResponse> GeminiAdapter::DecodeResponse(std::string_view body) const {
  return DecodeGeminiResponse(body);
}

std::unique_ptr<StreamDecoder> GeminiAdapter::NewStreamDecoder() const {
  return std::make_unique<GeminiStreamDecoder>();
}

}  // namespace switchyard::providers::gemini

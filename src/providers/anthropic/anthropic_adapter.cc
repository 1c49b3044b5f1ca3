#include "providers/anthropic/anthropic_adapter.h"

#include "canonical/encoded_request.h"
#include "canonical/json_values.h"
#include "json/object_rewrite.h"
#include "json/object_scan.h"
#include "providers/anthropic/anthropic_error_parser.h"
#include "providers/anthropic/anthropic_rate_limits.h"
#include "wire/anthropic/anthropic_format.h"
#include "providers/anthropic/anthropic_request_encoder.h"
#include "providers/anthropic/anthropic_response_decoder.h"
#include "providers/anthropic/anthropic_stream_decoder.h"
#include "providers/anthropic/anthropic_stream_tap.h"

namespace switchyard::providers::anthropic {
using wire::anthropic::UsageFromAnthropic;
using wire::anthropic::kDefaultAnthropicVersion;
namespace raw = ::switchyard::json;

namespace {

using Headers = std::span<const std::pair<std::string, std::string>>;

std::string_view HeaderValue(Headers headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

void AddAuth(const UpstreamTarget& target, http::HeaderList& headers) {
  if (target.api_key.empty()) return;
  const hosts::AuthStyle style =
      target.provider->profile ? target.provider->profile->auth : hosts::AuthStyle::kXApiKey;
  const std::string key(target.api_key);
  switch (style) {
    case hosts::AuthStyle::kBearer: headers.emplace_back("Authorization", "Bearer " + key); break;
    case hosts::AuthStyle::kXApiKey: headers.emplace_back("x-api-key", key); break;
    case hosts::AuthStyle::kGoogApiKey: headers.emplace_back("x-goog-api-key", key); break;
  }
}

http::UpstreamRequest MakeRequest(std::string body, bool stream, const UpstreamTarget& target,
                                  Headers client_headers,
                                  std::string_view path = "/v1/messages") {
  http::UpstreamRequest upstream;
  upstream.method = "POST";
  upstream.target = target.endpoint->Target(path);
  upstream.body = std::move(body);
  upstream.headers.emplace_back("Content-Type", "application/json");
  upstream.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  upstream.headers.emplace_back("User-Agent", "switchyard/" SWITCHYARD_VERSION);
  AddAuth(target, upstream.headers);
  std::string_view version = HeaderValue(client_headers, "anthropic-version");
  upstream.headers.emplace_back("anthropic-version",
                                std::string(version.empty() ? kDefaultAnthropicVersion : version));
  std::string_view beta = HeaderValue(client_headers, "anthropic-beta");
  if (!beta.empty()) upstream.headers.emplace_back("anthropic-beta", std::string(beta));
  for (const auto& [name, value] : target.provider->headers) {
    upstream.headers.emplace_back(name, value);
  }
  return upstream;
}

}  // namespace

Result<http::UpstreamRequest> AnthropicAdapter::BuildPassthroughRequest(
    const PassthroughRequest& request, const UpstreamTarget& target) const {
  if (request.operation == Operation::kEmbeddings) {
    return Error::InvalidRequest("the anthropic wire format has no embeddings endpoint");
  }
  const raw::Edit model{"model", raw::QuoteJsonString(target.model)};
  auto body = canonical::MergeRouteParams(
      raw::RewriteObject(request.body, *request.scan, std::span(&model, 1)), target.params_json);
  if (!body) return std::move(body).error();
  const bool count = request.operation == Operation::kCountTokens;
  return MakeRequest(std::move(body).value(), request.stream && !count, target,
                     request.client_headers,
                     count ? "/v1/messages/count_tokens" : "/v1/messages");
}

canonical::Usage AnthropicAdapter::ParseResponseUsage(Operation, std::string_view body) const {
  std::optional<boost::json::object> root = canonical::ParseObject(body);
  const boost::json::object* usage = root ? canonical::ObjectField(*root, "usage") : nullptr;
  return usage != nullptr ? UsageFromAnthropic(*usage, {}) : canonical::Usage{};
}

std::unique_ptr<StreamTap> AnthropicAdapter::NewStreamTap(bool) const {
  return std::make_unique<AnthropicStreamTap>();
}

ProviderError AnthropicAdapter::ParseError(int status, std::string_view body) const {
  return ParseAnthropicError(status, body);
}

std::optional<std::chrono::milliseconds> AnthropicAdapter::RateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now) const {
  return AnthropicRateLimitReset(header, now);
}

Result<EncodedRequest> AnthropicAdapter::EncodeRequest(const canonical::ChatRequest& request,
                                                       const UpstreamTarget& target) const {
  auto encoded = EncodeAnthropicRequest(request, target.model);
  if (!encoded) return std::move(encoded).error();
  auto body = canonical::MergeRouteParams(std::move(encoded->body), target.params_json);
  if (!body) return std::move(body).error();
  EncodedRequest out;
  out.upstream = MakeRequest(std::move(body).value(), request.stream, target, request.headers);
  out.dropped_params = std::move(encoded->dropped_params);
  return out;
}

Result<canonical::ChatResponse> AnthropicAdapter::DecodeResponse(std::string_view body) const {
  return DecodeAnthropicResponse(body);
}

std::unique_ptr<StreamDecoder> AnthropicAdapter::NewStreamDecoder() const {
  return std::make_unique<AnthropicStreamDecoder>();
}

}  // namespace switchyard::providers::anthropic

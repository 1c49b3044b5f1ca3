#include "providers/openai_compat/openai_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

#include "canonical/encoded_request.h"
#include "json/object_rewrite.h"
#include "providers/openai_compat/openai_error_parser.h"
#include "providers/openai_compat/openai_rate_limits.h"
#include "providers/openai_compat/openai_request_encoder.h"
#include "providers/openai_compat/openai_response_decoder.h"
#include "providers/openai_compat/openai_stream_decoder.h"
#include "providers/openai_compat/openai_stream_tap.h"
#include "providers/openai_compat/openai_usage.h"

namespace switchyard::providers::openai_compat {
namespace bjson = boost::json;
namespace raw = ::switchyard::json;  // raw-bytes JSON scanning and rewriting

namespace {

std::string_view PathFor(Operation operation) {
  return operation == Operation::kEmbeddings ? "/embeddings" : "/chat/completions";
}

// stream_options with include_usage set, keeping whatever else the client put there.
std::string StreamOptionsWithUsage(std::string_view body, const raw::Member* existing) {
  bjson::object options;
  if (existing != nullptr && existing->type == raw::ValueType::kObject) {
    boost::system::error_code ec;
    bjson::value parsed = bjson::parse(raw::ValueText(body, *existing), ec);
    if (!ec && parsed.is_object()) options = std::move(parsed.get_object());
  }
  options["include_usage"] = true;
  return bjson::serialize(options);
}

// The client's body with the gateway-owned fields rewritten, and nothing else touched.
Result<std::string> RewriteBody(const PassthroughRequest& request, const UpstreamTarget& target) {
  const raw::ObjectScan& scan = *request.scan;
  std::vector<raw::Edit> edits;
  edits.push_back({"model", raw::QuoteJsonString(target.model)});

  const hosts::HostProfile* profile = target.provider->profile;
  const bool usage_on_request =
      profile == nullptr || profile->stream_usage == hosts::StreamUsage::kOnRequest;
  const raw::Member* options = raw::FindMember(scan, "stream_options");
  if (!usage_on_request && options != nullptr) {
    // The host reports usage on every stream and rejects stream_options (wire-formats.md §5).
    edits.push_back({"stream_options", std::nullopt});
  } else if (request.stream && usage_on_request && !request.client_wants_stream_usage) {
    edits.push_back({"stream_options", StreamOptionsWithUsage(request.body, options)});
  }
  if (profile != nullptr) {
    for (const hosts::ParamRename& rename : profile->renames) {
      const raw::Member* from = raw::FindMember(scan, rename.from);
      if (from == nullptr || raw::FindMember(scan, rename.to) != nullptr) continue;
      edits.push_back({std::string(rename.from), std::nullopt});
      edits.push_back({std::string(rename.to), std::string(raw::ValueText(request.body, *from))});
    }
  }
  if (!target.params_json.empty()) {
    // A route target's own parameters win over the client's.
    auto params = raw::ScanObject(target.params_json);
    if (!params) return Error::Internal("route parameters are not a JSON object");
    for (const raw::Member& member : params->members) {
      if (member.key == "model") continue;
      edits.push_back({member.key, std::string(raw::ValueText(target.params_json, member))});
    }
  }
  return raw::RewriteObject(request.body, scan, edits);
}

void AddAuth(const UpstreamTarget& target, http::HeaderList& headers) {
  if (target.api_key.empty()) return;
  const hosts::AuthStyle style =
      target.provider->profile ? target.provider->profile->auth : hosts::AuthStyle::kBearer;
  const std::string key(target.api_key);
  switch (style) {
    case hosts::AuthStyle::kBearer:
      headers.emplace_back("Authorization", "Bearer " + key);
      break;
    case hosts::AuthStyle::kXApiKey:
      headers.emplace_back("x-api-key", key);
      break;
    case hosts::AuthStyle::kGoogApiKey:
      headers.emplace_back("x-goog-api-key", key);
      break;
  }
}

}  // namespace

Result<http::UpstreamRequest> OpenAIAdapter::BuildPassthroughRequest(
    const PassthroughRequest& request, const UpstreamTarget& target) const {
  if (request.operation == Operation::kCountTokens) {
    return Error::InvalidRequest("the openai wire format has no count_tokens endpoint");
  }
  auto body = RewriteBody(request, target);
  if (!body) return std::move(body).error();
  http::UpstreamRequest upstream;
  upstream.method = "POST";
  upstream.target = target.endpoint->Target(PathFor(request.operation));
  upstream.body = std::move(body).value();
  upstream.headers.emplace_back("Content-Type", "application/json");
  upstream.headers.emplace_back("Accept",
                                request.stream ? "text/event-stream" : "application/json");
  upstream.headers.emplace_back("User-Agent", "switchyard/" SWITCHYARD_VERSION);
  AddAuth(target, upstream.headers);
  for (const auto& [name, value] : target.provider->headers)
    upstream.headers.emplace_back(name, value);
  return upstream;
}

canonical::Usage OpenAIAdapter::ParseResponseUsage(Operation, std::string_view body) const {
  return TopLevelUsage(body);
}

std::unique_ptr<StreamTap> OpenAIAdapter::NewStreamTap(bool hide_usage_chunk) const {
  return std::make_unique<OpenAIStreamTap>(hide_usage_chunk);
}

ProviderError OpenAIAdapter::ParseError(int status, std::string_view body) const {
  return ParseOpenAIError(status, body);
}

std::optional<std::chrono::milliseconds> OpenAIAdapter::RateLimitReset(
    const http::HeaderLookup& header, std::chrono::system_clock::time_point now) const {
  return OpenAIRateLimitReset(header, now);
}

Result<EncodedRequest> OpenAIAdapter::EncodeRequest(const canonical::ChatRequest& request,
                                                    const UpstreamTarget& target) const {
  auto encoded = EncodeOpenAIRequest(request, target.model, target.provider->profile);
  if (!encoded) return std::move(encoded).error();
  auto body = canonical::MergeRouteParams(std::move(encoded->body), target.params_json);
  if (!body) return std::move(body).error();
  EncodedRequest out;
  http::UpstreamRequest& upstream = out.upstream;
  upstream.method = "POST";
  upstream.target = target.endpoint->Target(PathFor(Operation::kChatCompletions));
  upstream.body = std::move(body).value();
  upstream.headers.emplace_back("Content-Type", "application/json");
  upstream.headers.emplace_back("Accept", request.stream ? "text/event-stream" : "application/json");
  upstream.headers.emplace_back("User-Agent", "switchyard/" SWITCHYARD_VERSION);
  AddAuth(target, upstream.headers);
  for (const auto& [name, value] : target.provider->headers) upstream.headers.emplace_back(name, value);
  out.dropped_params = std::move(encoded->dropped_params);
  return out;
}

Result<canonical::ChatResponse> OpenAIAdapter::DecodeResponse(std::string_view body) const {
  return DecodeOpenAIResponse(body);
}

std::unique_ptr<StreamDecoder> OpenAIAdapter::NewStreamDecoder() const {
  return std::make_unique<OpenAIStreamDecoder>();
}

}  // namespace switchyard::providers::openai_compat

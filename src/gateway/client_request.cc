#include "gateway/client_request.h"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace switchyard::gateway {
namespace {

// The model name is echoed in response headers (x-switchyard-model) and may be put in an upstream
// URL path (Gemini): a control character in it is refused, not carried.
bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

}  // namespace

Result<RequestFields> ReadFields(std::string_view body, const json::ObjectScan& scan,
                                 providers::Operation operation) {
  RequestFields fields;
  const json::Member* model = json::FindMember(scan, "model");
  if (model == nullptr || model->type != json::ValueType::kString) {
    return Error::InvalidRequest("you must provide a model parameter (a string)", "model");
  }
  fields.model = json::StringValue(body, *model).value_or("");
  if (fields.model.empty()) return Error::InvalidRequest("model must not be empty", "model");
  if (HasControlCharacter(fields.model)) {
    return Error::InvalidRequest("model must not contain control characters (CR, LF, NUL, ...)",
                                 "model");
  }
  if (operation == providers::Operation::kEmbeddings) {
    if (json::FindMember(scan, "input") == nullptr) {
      return Error::InvalidRequest("you must provide an input parameter", "input");
    }
    return fields;
  }
  const json::Member* messages = json::FindMember(scan, "messages");
  if (messages == nullptr || messages->type != json::ValueType::kArray) {
    return Error::InvalidRequest("you must provide a messages parameter (an array)", "messages");
  }
  const json::Member* stream = json::FindMember(scan, "stream");
  fields.stream = stream != nullptr && stream->type == json::ValueType::kTrue;
  if (const json::Member* options = json::FindMember(scan, "stream_options");
      options != nullptr && options->type == json::ValueType::kObject) {
    boost::system::error_code ec;
    const boost::json::value parsed = boost::json::parse(json::ValueText(body, *options), ec);
    const boost::json::value* include = ec ? nullptr : parsed.get_object().if_contains("include_usage");
    fields.client_wants_stream_usage = include != nullptr && include->is_bool() && include->get_bool();
  }
  return fields;
}

// The client headers a wire format may pass on (Anthropic's version and beta flags).
std::vector<std::pair<std::string, std::string>> ForwardableHeaders(
    const http::IncomingRequest& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (std::string_view name : {"anthropic-version", "anthropic-beta"}) {
    const std::string_view value = request.header(name);
    if (!value.empty()) headers.emplace_back(std::string(name), std::string(value));
  }
  return headers;
}

// x-switchyard-metadata must be a JSON object of tags.
Status ReadMetadata(const http::IncomingRequest& request, ledger::CallRecord& record) {
  const std::string_view metadata = request.header("x-switchyard-metadata");
  if (metadata.empty()) return Status();
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(metadata, ec);
  if (ec || !parsed.is_object()) {
    return Error::InvalidRequest("x-switchyard-metadata must be a JSON object",
                                 "x-switchyard-metadata");
  }
  record.metadata_json = std::string(metadata);
  return Status();
}

// The key for a target: a per-call override header wins over the configured key.
std::string_view ApiKeyFor(const http::IncomingRequest& request,
                           const routing::PlannedTarget& target) {
  const std::string& name = target.provider->config->name;
  const std::string header = "x-switchyard-provider-key-" + name;
  std::string_view override_key = request.header(header);
  return override_key.empty() ? target.provider->config->api_key.reveal() : override_key;
}

}  // namespace switchyard::gateway

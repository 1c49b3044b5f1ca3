#include "providers/anthropic/anthropic_error_parser.h"

#include <fmt/format.h>

#include "canonical/json_values.h"

namespace switchyard::providers::anthropic {
namespace json = boost::json;

namespace {

ErrorClass ClassFor(int status, std::string_view type) {
  if (type == "overloaded_error" || type == "rate_limit_error" || type == "api_error" ||
      type == "timeout_error") {
    return ErrorClass::kRetryable;
  }
  if (type == "authentication_error" || type == "permission_error" || type == "billing_error" ||
      type == "not_found_error") {
    return ErrorClass::kFallBack;
  }
  if (type == "invalid_request_error" || type == "request_too_large") {
    // A 4xx that is not a client mistake keeps its status class (409, 429 relabelled, ...).
    return status >= 500 || status == 408 || status == 409 || status == 429
               ? ClassifyStatus(status)
               : ErrorClass::kFatal;
  }
  return ClassifyStatus(status);
}

}  // namespace

ProviderError ParseAnthropicError(int status, std::string_view body) {
  ProviderError error;
  error.status = status;
  if (std::optional<json::object> root = canonical::ParseObject(body)) {
    const json::object* inner = canonical::ObjectField(*root, "error");
    const json::object& source = inner != nullptr ? *inner : *root;
    error.type = canonical::StringField(source, "type");
    error.message = canonical::StringField(source, "message");
    if (inner == nullptr && error.type == "error") error.type.clear();
  }
  if (error.message.empty()) {
    error.message = fmt::format("the provider answered with HTTP status {}", status);
  }
  error.error_class = ClassFor(status, error.type);
  // "prompt is too long: 215000 tokens > 200000 maximum".
  error.context_length = status == 400 && error.type == "invalid_request_error" &&
                         error.message.find("prompt is too long") != std::string::npos;
  return error;
}

}  // namespace switchyard::providers::anthropic

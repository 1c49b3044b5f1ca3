#include "providers/openai_compat/openai_error_parser.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace switchyard::providers::openai_compat {
namespace json = boost::json;

namespace {

std::string StringOrNumber(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return {};
}

// Fills message/type/code from an object shaped like OpenAI's inner error object.
void ReadErrorObject(const json::object& obj, ProviderError* error) {
  error->message = StringOrNumber(obj, "message");
  error->type = StringOrNumber(obj, "type");
  error->code = StringOrNumber(obj, "code");
}

void ReadDetail(const json::value& detail, ProviderError* error) {
  if (detail.is_string()) {
    error->message = std::string(detail.get_string());
  } else if (const json::array* items = detail.if_array(); items && !items->empty()) {
    // FastAPI validation errors: the first item's msg says what is wrong.
    if (const json::object* first = items->front().if_object()) {
      error->message = StringOrNumber(*first, "msg");
    }
  }
}

void ReadBody(const json::object& root, ProviderError* error) {
  if (const json::value* inner = root.if_contains("error")) {
    if (const json::object* obj = inner->if_object()) {
      ReadErrorObject(*obj, error);
    } else if (inner->is_string()) {
      error->message = std::string(inner->get_string());
      error->code = StringOrNumber(root, "code");
    }
  } else if (root.contains("message")) {
    ReadErrorObject(root, error);
  } else if (const json::value* detail = root.if_contains("detail")) {
    ReadDetail(*detail, error);
  } else if (const json::value* fault = root.if_contains("fault"); fault && fault->is_object()) {
    error->message = StringOrNumber(fault->get_object(), "faultstring");
  }
}

}  // namespace

ProviderError ParseOpenAIError(int status, std::string_view body) {
  ProviderError error;
  error.status = status;
  error.error_class = ClassifyStatus(status);
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (!ec && root.is_object()) ReadBody(root.get_object(), &error);
  if (error.message.empty()) {
    error.message = fmt::format("the provider answered with HTTP status {}", status);
  }
  // Quota exhaustion comes as 429 but waiting will not help: try elsewhere instead.
  if (status == 429 && (error.code == "insufficient_quota" || error.type == "insufficient_quota")) {
    error.error_class = ErrorClass::kFallBack;
  }
  // OpenAI's code; compatible servers (vLLM and others) often send only the message.
  error.context_length =
      status < 500 && (error.code == "context_length_exceeded" ||
                       error.message.find("maximum context length") != std::string::npos);
  return error;
}

}  // namespace switchyard::providers::openai_compat

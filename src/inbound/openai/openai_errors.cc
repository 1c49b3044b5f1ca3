#include "inbound/openai/openai_errors.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace switchyard::inbound::openai {
namespace json = boost::json;

namespace {

json::value OrNull(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

}  // namespace

std::string FormatErrorBody(const Error& error) {
  json::object inner;
  inner["message"] = error.message;
  inner["type"] = error.type.empty() ? "api_error" : error.type;
  inner["param"] = OrNull(error.param);
  inner["code"] = OrNull(error.code);
  json::object outer;
  outer["error"] = std::move(inner);
  return json::serialize(outer);
}

std::string FormatStreamError(const Error& error) {
  return "data: " + FormatErrorBody(error) + "\n\n";
}

int ClientStatusFor(int provider_status) { return provider_status == 529 ? 503 : provider_status; }

}  // namespace switchyard::inbound::openai

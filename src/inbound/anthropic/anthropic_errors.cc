#include "inbound/anthropic/anthropic_errors.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "wire/anthropic/anthropic_format.h"

namespace switchyard::inbound::anthropic {
namespace json = boost::json;

std::string_view ErrorTypeFor(const Error& error) {
  const std::string_view by_status = wire::anthropic::ErrorTypeForStatus(error.http_status);
  const bool generic = by_status == "invalid_request_error" || by_status == "api_error";
  if (generic && wire::anthropic::IsAnthropicErrorType(error.type)) return error.type;
  return by_status;
}

std::string FormatErrorBody(const Error& error) {
  json::object body{{"type", "error"},
                    {"error", json::object{{"type", ErrorTypeFor(error)},
                                           {"message", error.message}}}};
  return json::serialize(body);
}

std::string FormatStreamError(const Error& error) {
  return "event: error\ndata: " + FormatErrorBody(error) + "\n\n";
}

int ClientStatusFor(int provider_status) { return provider_status; }

}  // namespace switchyard::inbound::anthropic

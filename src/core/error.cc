#include "core/error.h"

#include <utility>

namespace switchyard {
namespace {

Error Make(ErrorKind kind, int status, std::string type, std::string message,
           std::string param = {}, std::string code = {}) {
  return Error{kind, status, std::move(message), std::move(type), std::move(param),
               std::move(code)};
}

}  // namespace

Error Error::InvalidRequest(std::string message, std::string param) {
  return Make(ErrorKind::kInvalidRequest, 400, "invalid_request_error", std::move(message),
              std::move(param));
}
Error Error::Unauthorized(std::string message) {
  return Make(ErrorKind::kUnauthorized, 401, "authentication_error", std::move(message), {},
              "invalid_api_key");
}
Error Error::NotFound(std::string message, std::string code) {
  return Make(ErrorKind::kNotFound, 404, "not_found_error", std::move(message), {},
              std::move(code));
}
Error Error::MethodNotAllowed(std::string message) {
  return Make(ErrorKind::kMethodNotAllowed, 405, "invalid_request_error", std::move(message));
}
Error Error::PayloadTooLarge(std::string message) {
  return Make(ErrorKind::kPayloadTooLarge, 413, "request_too_large", std::move(message));
}
Error Error::UpstreamConnect(std::string message) {
  return Make(ErrorKind::kUpstreamConnect, 502, "upstream_connect_error", std::move(message));
}
Error Error::UpstreamProtocol(std::string message) {
  return Make(ErrorKind::kUpstreamProtocol, 502, "upstream_protocol_error", std::move(message));
}
Error Error::UpstreamTimeout(std::string message) {
  return Make(ErrorKind::kUpstreamTimeout, 504, "upstream_timeout", std::move(message));
}
Error Error::Cancelled(std::string message) {
  return Make(ErrorKind::kCancelled, 499, "cancelled", std::move(message));
}
Error Error::Unavailable(std::string message) {
  return Make(ErrorKind::kUnavailable, 503, "service_unavailable", std::move(message));
}
Error Error::Internal(std::string message) {
  return Make(ErrorKind::kInternal, 500, "internal_error", std::move(message));
}
Error Error::Config(std::string message) {
  return Make(ErrorKind::kConfig, 2, "config_error", std::move(message));
}

}  // namespace switchyard

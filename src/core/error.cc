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
// The OpenAI shapes of the governance's refusals (CONTRACT.md "Governance"); Anthropic's types
// follow from the status (billing_error, permission_error, rate_limit_error).
Error Error::BudgetExceeded(std::string message) {
  return Make(ErrorKind::kPaymentRequired, 402, "insufficient_quota", std::move(message), {},
              "budget_exceeded");
}
Error Error::Forbidden(std::string message) {
  return Make(ErrorKind::kForbidden, 403, "permission_error", std::move(message), {},
              "permission_denied");
}
Error Error::RateLimited(std::string message, std::string type) {
  return Make(ErrorKind::kRateLimited, 429, std::move(type), std::move(message), {},
              "rate_limit_exceeded");
}
Error Error::Conflict(std::string message) {
  return Make(ErrorKind::kConflict, 409, "conflict_error", std::move(message));
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

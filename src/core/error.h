// Error: what went wrong, in terms every stage understands. The inbound codec turns it into the
// client's API shape; the router reads `kind` to decide whether another attempt may help.
#pragma once

#include <string>

namespace switchyard {

enum class ErrorKind {
  kInvalidRequest,     // 400: the client's request is malformed or incomplete
  kUnauthorized,       // 401: missing or wrong gateway key
  kNotFound,           // 404: unknown model, provider, route or endpoint
  kPaymentRequired,    // 402: over a hard budget
  kForbidden,          // 403: the key may not use this model or route
  kRateLimited,        // 429: over the key's (team's, model's) rate limit
  kConflict,           // 409: the admin API's write collides with what exists
  kMethodNotAllowed,   // 405
  kPayloadTooLarge,    // 413
  kUpstreamStatus,     // the provider answered with an error status (kept in http_status)
  kUpstreamConnect,    // 502: could not reach the provider (DNS, refused, TLS)
  kUpstreamProtocol,   // 502: the provider's answer was not valid HTTP or not the expected format
  kUpstreamTimeout,    // 504: a deadline ran out while waiting for the provider
  kCancelled,          // the client went away or the attempt was abandoned
  kUnavailable,        // 503: the gateway is shutting down or a queue is full
  kInternal,           // 500: a bug; never carries internal detail to the client
  kConfig,             // a configuration problem (startup only)
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  int http_status = 500;  // the status the client should see
  std::string message;    // one clear sentence; never contains a key or a raw upstream body
  std::string type;       // OpenAI-style error type, e.g. "invalid_request_error"
  std::string param;      // the offending field, when there is one
  std::string code;       // machine-readable code, when there is one

  static Error InvalidRequest(std::string message, std::string param = {});
  static Error Unauthorized(std::string message);
  static Error NotFound(std::string message, std::string code = {});
  static Error MethodNotAllowed(std::string message);
  static Error BudgetExceeded(std::string message);
  static Error Forbidden(std::string message);
  static Error RateLimited(std::string message, std::string type);  // type: requests | tokens
  static Error Conflict(std::string message);
  static Error PayloadTooLarge(std::string message);
  static Error UpstreamConnect(std::string message);
  static Error UpstreamProtocol(std::string message);
  static Error UpstreamTimeout(std::string message);
  static Error Cancelled(std::string message);
  static Error Unavailable(std::string message);
  static Error Internal(std::string message);
  static Error Config(std::string message);
};

}  // namespace switchyard

#include "gateway/auth.h"

#include <boost/beast/core/string.hpp>

#include "core/strings.h"

namespace switchyard::gateway {

std::string_view BearerToken(const http::IncomingRequest& request) {
  std::string_view authorization = TrimWhitespace(request.header("authorization"));
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  if (authorization.size() > 7 && boost::beast::iequals(authorization.substr(0, 7), "bearer ")) {
    return TrimWhitespace(authorization.substr(7));
  }
  return {};
}

Result<std::string> Authenticate(const http::IncomingRequest& request,
                                 const std::vector<config::GatewayKey>& keys) {
  if (keys.empty()) return std::string("anonymous");
  std::string_view presented = request.header("x-api-key");
  if (presented.empty()) presented = BearerToken(request);
  if (presented.empty()) {
    return Error::Unauthorized(
        "missing gateway key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
  }
  const config::GatewayKey* match = nullptr;
  for (const config::GatewayKey& key : keys) {
    if (ConstantTimeEquals(presented, key.key.reveal()) && match == nullptr) match = &key;
  }
  if (match == nullptr) return Error::Unauthorized("invalid gateway key");
  return match->name;
}

}  // namespace switchyard::gateway

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

std::string_view PresentedKey(const http::IncomingRequest& request) {
  std::string_view presented = TrimWhitespace(request.header("x-api-key"));
  if (presented.empty()) presented = BearerToken(request);
  return presented;
}

}  // namespace switchyard::gateway

// IncomingRequest: one client request, fully read (head and body) and within the client limits.
// Owned by the session for the duration of one exchange; handlers may keep views into it only until
// they return.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace switchyard::http {

struct IncomingRequest {
  boost::beast::http::request<boost::beast::http::string_body> message;
  std::string_view path;   // the target without the query string
  std::string_view query;  // after '?', without it; empty when absent
  std::string peer;        // client address, for logs

  std::string_view method() const { return message.method_string(); }
  const std::string& body() const { return message.body(); }
  // A header's value, or empty when absent (lookup is case-insensitive).
  std::string_view header(std::string_view name) const {
    auto it = message.find(name);
    return it == message.end() ? std::string_view{} : std::string_view(it->value());
  }
};

}  // namespace switchyard::http

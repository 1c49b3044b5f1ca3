#include "http/server/request_head_check.h"

#include <boost/beast/core/string.hpp>

namespace switchyard::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

bool IsValidHost(std::string_view value) {
  for (const char c : value) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || std::string_view("-._~%!$&'()*+,;=:[]").find(c) != std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

Status CheckRequestHead(const RequestHead& head) {
  auto te = head.find(bhttp::field::transfer_encoding);
  if (te != head.end()) {
    std::string_view codings = te->value();
    while (!codings.empty() && (codings.back() == ' ' || codings.back() == '\t')) {
      codings.remove_suffix(1);
    }
    const std::size_t comma = codings.rfind(',');
    std::string_view last = comma == std::string_view::npos ? codings : codings.substr(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    if (!beast::iequals(last, "chunked") || comma != std::string_view::npos) {
      return Error::InvalidRequest("unsupported Transfer-Encoding: only chunked is accepted");
    }
  }
  const std::size_t hosts = head.count(bhttp::field::host);
  if (head.version() >= 11 && hosts == 0) {
    return Error::InvalidRequest("an HTTP/1.1 request must carry a Host header");
  }
  if (hosts > 1) return Error::InvalidRequest("a request must carry at most one Host header");
  if (hosts == 1 && !IsValidHost(head[bhttp::field::host])) {
    return Error::InvalidRequest("the Host header is not a valid host[:port]");
  }
  return Status();
}

}  // namespace switchyard::http

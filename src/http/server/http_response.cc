#include "http/server/http_response.h"

#include <charconv>

#include "http/header_value.h"

namespace switchyard::http {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

namespace {

// Appends `value` in base `base` (every response and stream chunk: no format-string parsing).
void AppendNumber(std::string& out, long long value, int base = 10) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value, base);
  out.append(digits, end);
}

}  // namespace

std::string FormatResponseHead(int status, const HeaderList& headers, long long content_length,
                               bool keep_alive) {
  std::string head;
  head.reserve(256 + headers.size() * 48);
  head.append("HTTP/1.1 ");
  AppendNumber(head, status);
  head.append(" ").append(ReasonPhrase(status)).append("\r\n");
  for (const auto& [name, value] : headers) AppendHeaderField(head, name, value);
  if (StatusHasNoBody(status)) {
    // No framing: the response ends with its head.
  } else if (content_length >= 0) {
    head.append("Content-Length: ");
    AppendNumber(head, content_length);
    head.append("\r\n");
  } else {
    head.append("Transfer-Encoding: chunked\r\n");
  }
  if (!keep_alive) head.append("Connection: close\r\n");
  head.append("\r\n");
  return head;
}

std::string ChunkPrefix(std::size_t size) {
  std::string prefix;
  AppendNumber(prefix, static_cast<long long>(size), 16);
  prefix.append("\r\n");
  return prefix;
}

}  // namespace switchyard::http

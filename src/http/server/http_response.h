// HttpResponse helpers: building a complete response head for the client in one string, without
// Beast's serializer (the head is small and formatted once; the body goes out as a separate buffer so
// it is never copied).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The reason phrase for a status code ("OK", "Not Found", ...); "Unknown" for codes it does not know.
std::string_view ReasonPhrase(int status);

// Whether a response with this status never has a body (1xx, 204, 304: RFC 9110 6.4.1).
inline bool StatusHasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

// "HTTP/1.1 <status> <reason>\r\n" + headers + framing headers + "\r\n". Every header goes
// through AppendHeaderField (http/header_value.h): control characters leave its value, and a
// header whose name is not a token is left out, whoever built the list.
// content_length < 0 means a chunked body. keep_alive false adds "Connection: close". A status
// without a body (StatusHasNoBody) gets no framing header at all: RFC 9110 forbids Content-Length
// on a 204 and a 1xx.
std::string FormatResponseHead(int status, const HeaderList& headers, long long content_length,
                               bool keep_alive);

// One chunk of a chunked body: "<hex size>\r\n" prefix and "\r\n" suffix around `size` bytes.
std::string ChunkPrefix(std::size_t size);
inline constexpr std::string_view kChunkSuffix = "\r\n";
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace switchyard::http

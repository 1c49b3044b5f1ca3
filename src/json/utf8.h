// UTF-8 helpers for the JSON scanner and writer: validation of one sequence per RFC 3629 (no
// overlong forms, no surrogates, nothing above U+10FFFF) and encoding of one code point. Pure
// functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace switchyard::json {

// Length (1-4) of the valid UTF-8 sequence starting at `p`, or 0 when the bytes in [p, end) do
// not start with one. REQUIRES: p < end.
inline std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (c < 0xE0) return avail >= 2 && cont(p[1]) ? 2 : 0;
  if (c < 0xF0) {
    if (avail < 3 || !cont(p[2])) return 0;
    const unsigned char b = p[1];
    if (c == 0xE0) return b >= 0xA0 && b <= 0xBF ? 3 : 0;  // no overlongs
    if (c == 0xED) return b >= 0x80 && b <= 0x9F ? 3 : 0;  // no surrogates
    return cont(b) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (avail < 4 || !cont(p[2]) || !cont(p[3])) return 0;
    const unsigned char b = p[1];
    if (c == 0xF0) return b >= 0x90 && b <= 0xBF ? 4 : 0;  // no overlongs
    if (c == 0xF4) return b >= 0x80 && b <= 0x8F ? 4 : 0;  // nothing above U+10FFFF
    return cont(b) ? 4 : 0;
  }
  return 0;
}

// Appends the UTF-8 encoding of `cp`. REQUIRES: cp <= 0x10FFFF and not a surrogate.
inline void AppendUtf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace switchyard::json

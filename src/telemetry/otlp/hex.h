// Lowercase hex for trace and span ids: the form both W3C traceparent and OTLP/JSON require
// (OTLP/JSON's one exception to protobuf's base64 for bytes).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::telemetry::otlp {

inline std::string ToLowerHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

// -1 for anything but 0-9a-f: uppercase is refused, as W3C Trace Context's HEXDIGLC demands.
inline int LowerHexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Exactly 2*N lowercase hex digits into N bytes; empty on any other text.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> ParseLowerHex(std::string_view text) {
  if (text.size() != 2 * N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    const int high = LowerHexDigit(text[2 * i]);
    const int low = LowerHexDigit(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return out;
}

}  // namespace switchyard::telemetry::otlp

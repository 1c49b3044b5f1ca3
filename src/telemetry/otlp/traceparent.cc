#include "telemetry/otlp/traceparent.h"

#include <cstddef>

#include "telemetry/otlp/hex.h"

namespace switchyard::telemetry::otlp {
namespace {

// version(2) - trace-id(32) - parent-id(16) - flags(2)
constexpr std::size_t kVersion00Length = 55;

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<TraceContext> ParseTraceparent(std::string_view header) {
  header = TrimOws(header);
  if (header.size() < kVersion00Length) return std::nullopt;
  const auto version = ParseLowerHex<1>(header.substr(0, 2));
  if (!version || (*version)[0] == 0xff) return std::nullopt;
  if ((*version)[0] == 0x00) {
    if (header.size() != kVersion00Length) return std::nullopt;
  } else if (header.size() > kVersion00Length && header[kVersion00Length] != '-') {
    // A later version may append fields, but only after a dash.
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  const auto trace_id = ParseLowerHex<16>(header.substr(3, 32));
  const auto parent_id = ParseLowerHex<8>(header.substr(36, 16));
  const auto flags = ParseLowerHex<1>(header.substr(53, 2));
  if (!trace_id || !parent_id || !flags) return std::nullopt;
  if (IsZeroId(*trace_id) || IsZeroId(*parent_id)) return std::nullopt;
  return TraceContext{*trace_id, *parent_id, (*flags)[0]};
}

std::string FormatTraceparent(const TraceId& trace_id, const SpanId& span_id, std::uint8_t flags) {
  std::string out = "00-";
  out.reserve(kVersion00Length);
  out += ToLowerHex(trace_id);
  out += '-';
  out += ToLowerHex(span_id);
  out += '-';
  const std::uint8_t flag_byte[1] = {flags};
  out += ToLowerHex(flag_byte);
  return out;
}

}  // namespace switchyard::telemetry::otlp

// W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
// parsed from the client so the gateway's spans join the client's trace, and formatted for the
// providers when the config sends it on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp {

struct TraceContext {
  TraceId trace_id{};
  SpanId parent_id{};      // the caller's span: the parent of the gateway's server span
  std::uint8_t flags = 0;  // trace-flags; bit 0 is "sampled"

  static constexpr std::uint8_t kSampled = 0x01;
  bool sampled() const { return (flags & kSampled) != 0; }
};

// The context of a valid header; empty when the header must be ignored (the spec then has the
// receiver start a new trace): a version other than 2 lowercase hex digits or "ff", ids of the
// wrong length, uppercase or non-hex digits, all-zero ids, or misplaced dashes. Version 00 must
// be exactly 55 characters; a later version may carry more after a dash, which is ignored (the
// spec's forward compatibility). Spaces and tabs around the value are trimmed.
std::optional<TraceContext> ParseTraceparent(std::string_view header);

// "00-<trace id>-<span id>-<flags>": version 00, since that is the only one this code knows.
std::string FormatTraceparent(const TraceId& trace_id, const SpanId& span_id, std::uint8_t flags);

}  // namespace switchyard::telemetry::otlp

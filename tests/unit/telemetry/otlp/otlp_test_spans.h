// A fixed span for the encoders' tests: every field set, one attribute of each value type.
#pragma once

#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp::testing {

inline Span FixedSpan() {
  Span span;
  for (std::size_t i = 0; i < span.trace_id.size(); ++i) span.trace_id[i] = std::uint8_t(i + 1);
  for (std::size_t i = 0; i < span.span_id.size(); ++i) span.span_id[i] = std::uint8_t(0xa0 + i);
  span.parent_span_id = {0, 0, 0, 0, 0, 0, 0, 0xff};
  span.trace_state = "rojo=1";
  span.flags = 1;
  span.name = "chat gpt-4o";
  span.kind = SpanKind::kClient;
  span.start_time_unix_nano = 1700000000000000000u;
  span.end_time_unix_nano = 1700000000250000000u;
  span.attributes = {Attribute::String("gen_ai.request.model", "gpt-4o"),
                     Attribute::Int("gen_ai.usage.input_tokens", 12),
                     Attribute::Double("gen_ai.usage.cost", 0.25),
                     Attribute::Bool("switchyard.stream", false)};
  span.status = {StatusCode::kError, "upstream_error"};
  return span;
}

}  // namespace switchyard::telemetry::otlp::testing

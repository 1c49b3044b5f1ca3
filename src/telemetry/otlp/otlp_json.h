// ExportTraceServiceRequest as OTLP/JSON, the body of an OTLP/HTTP POST with Content-Type
// application/json: protobuf's JSON mapping with OTLP's exceptions — ids as lowercase hex rather
// than base64, and enums as integers
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
#pragma once

#include <span>
#include <string>

#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp {

// One resourceSpans entry with one scopeSpans entry, as EncodeOtlpProtobuf. 64-bit integers
// (times, intValue) are decimal strings, as the protobuf JSON mapping writes them, since a JSON
// number loses precision past 2^53 in most receivers.
std::string EncodeOtlpJson(const Resource& resource, const Scope& scope,
                           std::span<const Span> spans);

}  // namespace switchyard::telemetry::otlp

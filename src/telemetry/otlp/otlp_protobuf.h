// ExportTraceServiceRequest in protobuf binary, the body of an OTLP/HTTP POST to /v1/traces with
// Content-Type application/x-protobuf (OTLP's default protocol, http/protobuf).
#pragma once

#include <span>
#include <string>

#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp {

// One ResourceSpans with one ScopeSpans holding `spans`: the gateway is one resource and one
// scope. Proto3 defaults (zero, empty) are left out, as a generated encoder would.
std::string EncodeOtlpProtobuf(const Resource& resource, const Scope& scope,
                               std::span<const Span> spans);

}  // namespace switchyard::telemetry::otlp

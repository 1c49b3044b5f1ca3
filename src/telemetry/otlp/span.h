// Span: one finished operation as the OTLP encoders take it — a plain value, built by the gateway
// when a call or an attempt ends and handed whole to the exporter, so that encoding needs nothing
// but the value (no SDK, no context objects; Debian packages no OpenTelemetry C++ SDK).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace switchyard::telemetry::otlp {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

// All-zero ids are invalid in both W3C Trace Context and OTLP; a zero parent means a root span.
template <std::size_t N>
bool IsZeroId(const std::array<std::uint8_t, N>& id) {
  for (std::uint8_t byte : id) {
    if (byte != 0) return false;
  }
  return true;
}

// The numbers are OTLP's (trace.proto Span.SpanKind), written as they are on the wire.
enum class SpanKind : int {
  kInternal = 1,
  kServer = 2,  // the client's call to the gateway
  kClient = 3,  // the gateway's calls out: attempts, judge and shadow calls
};

// trace.proto Status.StatusCode. Unset is the default: OTel reserves kOk for an explicit verdict.
enum class StatusCode : int { kUnset = 0, kOk = 1, kError = 2 };

struct SpanStatus {
  StatusCode code = StatusCode::kUnset;
  std::string message;  // only meaningful with kError
};

// The scalar attribute types OTLP's AnyValue carries that the gateway uses.
using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;

struct Attribute {
  std::string key;
  AttributeValue value;

  // Named constructors, since a bare string literal would pick the variant's bool alternative.
  static Attribute String(std::string key, std::string value) {
    return {std::move(key), AttributeValue{std::in_place_type<std::string>, std::move(value)}};
  }
  static Attribute Int(std::string key, std::int64_t value) {
    return {std::move(key), AttributeValue{std::in_place_type<std::int64_t>, value}};
  }
  static Attribute Double(std::string key, double value) {
    return {std::move(key), AttributeValue{std::in_place_type<double>, value}};
  }
  static Attribute Bool(std::string key, bool value) {
    return {std::move(key), AttributeValue{std::in_place_type<bool>, value}};
  }
};

// What emits the spans: one per process, sent once per export request rather than per span.
struct Resource {
  std::vector<Attribute> attributes;

  // service.name "switchyard" and the binary's version (semconv resource attributes).
  static Resource Switchyard(std::string_view version) {
    return {{Attribute::String("service.name", "switchyard"),
             Attribute::String("service.version", std::string(version))}};
  }
};

// The instrumentation scope: which code made the spans (OTLP InstrumentationScope).
struct Scope {
  std::string name = "switchyard";
  std::string version;
};

struct Span {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};  // zero for a root span
  std::string trace_state;  // the W3C tracestate the span was made under, bounded (tracestate.h)
  // OTLP Span.flags: the W3C trace flags in the low 8 bits; 0 leaves the field out.
  std::uint32_t flags = 0;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t end_time_unix_nano = 0;
  std::vector<Attribute> attributes;
  SpanStatus status;
};

}  // namespace switchyard::telemetry::otlp

#include "telemetry/otlp/otlp_protobuf.h"

#include <type_traits>
#include <variant>

#include "telemetry/otlp/protobuf_writer.h"

namespace switchyard::telemetry::otlp {
namespace {

// Field numbers from opentelemetry-proto: collector/trace/v1/trace_service.proto,
// trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto.
namespace request {
constexpr std::uint32_t kResourceSpans = 1;
}
namespace resource_spans {
constexpr std::uint32_t kResource = 1;
constexpr std::uint32_t kScopeSpans = 2;
}  // namespace resource_spans
namespace resource {
constexpr std::uint32_t kAttributes = 1;
}
namespace scope_spans {
constexpr std::uint32_t kScope = 1;
constexpr std::uint32_t kSpans = 2;
}  // namespace scope_spans
namespace scope {
constexpr std::uint32_t kName = 1;
constexpr std::uint32_t kVersion = 2;
}  // namespace scope
namespace span {
constexpr std::uint32_t kTraceId = 1;
constexpr std::uint32_t kSpanId = 2;
constexpr std::uint32_t kTraceState = 3;
constexpr std::uint32_t kParentSpanId = 4;
constexpr std::uint32_t kName = 5;
constexpr std::uint32_t kKind = 6;
constexpr std::uint32_t kStartTimeUnixNano = 7;  // fixed64
constexpr std::uint32_t kEndTimeUnixNano = 8;    // fixed64
constexpr std::uint32_t kAttributes = 9;
constexpr std::uint32_t kStatus = 15;
constexpr std::uint32_t kFlags = 16;  // fixed32
}  // namespace span
namespace status {
constexpr std::uint32_t kMessage = 2;  // 1 is reserved (the deprecated code)
constexpr std::uint32_t kCode = 3;
}  // namespace status
namespace key_value {
constexpr std::uint32_t kKey = 1;
constexpr std::uint32_t kValue = 2;
}  // namespace key_value
namespace any_value {
constexpr std::uint32_t kStringValue = 1;
constexpr std::uint32_t kBoolValue = 2;
constexpr std::uint32_t kIntValue = 3;
constexpr std::uint32_t kDoubleValue = 4;
}  // namespace any_value

ProtobufWriter EncodeAttribute(const Attribute& attribute) {
  // AnyValue's fields are a oneof: the chosen one is written even when it holds its default
  // (0, false, ""), or the receiver would see no value at all.
  ProtobufWriter value;
  std::visit(
      [&value](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          value.Bytes(any_value::kStringValue, std::string_view(v));
        } else if constexpr (std::is_same_v<T, bool>) {
          value.Bool(any_value::kBoolValue, v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          value.Int64(any_value::kIntValue, v);
        } else {
          value.Double(any_value::kDoubleValue, v);
        }
      },
      attribute.value);
  ProtobufWriter key_value;
  key_value.Bytes(key_value::kKey, std::string_view(attribute.key));
  key_value.Message(key_value::kValue, value);
  return key_value;
}

ProtobufWriter EncodeSpan(const Span& s) {
  ProtobufWriter out;
  out.Bytes(span::kTraceId, s.trace_id);
  out.Bytes(span::kSpanId, s.span_id);
  if (!s.trace_state.empty()) out.Bytes(span::kTraceState, std::string_view(s.trace_state));
  if (!IsZeroId(s.parent_span_id)) out.Bytes(span::kParentSpanId, s.parent_span_id);
  if (!s.name.empty()) out.Bytes(span::kName, std::string_view(s.name));
  out.Varint(span::kKind, static_cast<std::uint64_t>(s.kind));
  if (s.start_time_unix_nano != 0) out.Fixed64(span::kStartTimeUnixNano, s.start_time_unix_nano);
  if (s.end_time_unix_nano != 0) out.Fixed64(span::kEndTimeUnixNano, s.end_time_unix_nano);
  for (const Attribute& attribute : s.attributes) {
    out.Message(span::kAttributes, EncodeAttribute(attribute));
  }
  if (s.status.code != StatusCode::kUnset || !s.status.message.empty()) {
    ProtobufWriter st;
    if (!s.status.message.empty()) st.Bytes(status::kMessage, std::string_view(s.status.message));
    if (s.status.code != StatusCode::kUnset) {
      st.Varint(status::kCode, static_cast<std::uint64_t>(s.status.code));
    }
    out.Message(span::kStatus, st);
  }
  if (s.flags != 0) out.Fixed32(span::kFlags, s.flags);
  return out;
}

}  // namespace

std::string EncodeOtlpProtobuf(const Resource& res, const Scope& sc, std::span<const Span> spans) {
  ProtobufWriter resource_message;
  for (const Attribute& attribute : res.attributes) {
    resource_message.Message(resource::kAttributes, EncodeAttribute(attribute));
  }
  ProtobufWriter scope_message;
  if (!sc.name.empty()) scope_message.Bytes(scope::kName, std::string_view(sc.name));
  if (!sc.version.empty()) scope_message.Bytes(scope::kVersion, std::string_view(sc.version));

  ProtobufWriter scope_spans_message;
  scope_spans_message.Message(scope_spans::kScope, scope_message);
  for (const Span& s : spans) scope_spans_message.Message(scope_spans::kSpans, EncodeSpan(s));

  ProtobufWriter resource_spans_message;
  resource_spans_message.Message(resource_spans::kResource, resource_message);
  resource_spans_message.Message(resource_spans::kScopeSpans, scope_spans_message);

  ProtobufWriter request_message;
  request_message.Message(request::kResourceSpans, resource_spans_message);
  return std::move(request_message).Take();
}

}  // namespace switchyard::telemetry::otlp

#include "telemetry/otlp/otlp_json.h"

#include <boost/json.hpp>
#include <cmath>
#include <type_traits>
#include <variant>

#include "telemetry/otlp/hex.h"

namespace switchyard::telemetry::otlp {
namespace {

boost::json::object EncodeValue(const AttributeValue& value) {
  boost::json::object out;
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out["stringValue"] = v;
        } else if constexpr (std::is_same_v<T, bool>) {
          out["boolValue"] = v;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out["intValue"] = std::to_string(v);
        } else if (std::isnan(v)) {
          out["doubleValue"] = "NaN";  // JSON has no NaN or infinity; the mapping spells them
        } else if (std::isinf(v)) {
          out["doubleValue"] = v > 0 ? "Infinity" : "-Infinity";
        } else {
          out["doubleValue"] = v;
        }
      },
      value);
  return out;
}

boost::json::array EncodeAttributes(const std::vector<Attribute>& attributes) {
  boost::json::array out;
  out.reserve(attributes.size());
  for (const Attribute& attribute : attributes) {
    out.push_back(
        boost::json::object{{"key", attribute.key}, {"value", EncodeValue(attribute.value)}});
  }
  return out;
}

boost::json::object EncodeSpan(const Span& span) {
  boost::json::object out;
  out["traceId"] = ToLowerHex(span.trace_id);
  out["spanId"] = ToLowerHex(span.span_id);
  if (!span.trace_state.empty()) out["traceState"] = span.trace_state;
  if (!IsZeroId(span.parent_span_id)) out["parentSpanId"] = ToLowerHex(span.parent_span_id);
  if (span.flags != 0) out["flags"] = span.flags;
  out["name"] = span.name;
  out["kind"] = static_cast<int>(span.kind);
  out["startTimeUnixNano"] = std::to_string(span.start_time_unix_nano);
  out["endTimeUnixNano"] = std::to_string(span.end_time_unix_nano);
  out["attributes"] = EncodeAttributes(span.attributes);
  boost::json::object status;
  if (!span.status.message.empty()) status["message"] = span.status.message;
  if (span.status.code != StatusCode::kUnset) status["code"] = static_cast<int>(span.status.code);
  out["status"] = std::move(status);
  return out;
}

}  // namespace

std::string EncodeOtlpJson(const Resource& resource, const Scope& scope,
                           std::span<const Span> spans) {
  boost::json::object scope_object;
  scope_object["name"] = scope.name;
  if (!scope.version.empty()) scope_object["version"] = scope.version;

  boost::json::array span_array;
  span_array.reserve(spans.size());
  for (const Span& span : spans) span_array.push_back(EncodeSpan(span));

  boost::json::object scope_spans{{"scope", std::move(scope_object)},
                                  {"spans", std::move(span_array)}};
  boost::json::object resource_spans{
      {"resource", boost::json::object{{"attributes", EncodeAttributes(resource.attributes)}}},
      {"scopeSpans", boost::json::array{std::move(scope_spans)}}};
  boost::json::object request{{"resourceSpans", boost::json::array{std::move(resource_spans)}}};
  return boost::json::serialize(request);
}

}  // namespace switchyard::telemetry::otlp

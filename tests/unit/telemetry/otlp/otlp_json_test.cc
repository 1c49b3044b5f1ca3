#include "telemetry/otlp/otlp_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "unit/telemetry/otlp/otlp_test_spans.h"

namespace switchyard::telemetry::otlp {
namespace {

TEST(OtlpJsonTest, GoldenRequestForAFixedSpan) {
  const Span span = testing::FixedSpan();
  const std::string json =
      EncodeOtlpJson(Resource::Switchyard("1.2.3"), Scope{"switchyard", "1.2.3"}, {&span, 1});
  EXPECT_EQ(json,
            R"({"resourceSpans":[{"resource":{"attributes":[)"
            R"({"key":"service.name","value":{"stringValue":"switchyard"}},)"
            R"({"key":"service.version","value":{"stringValue":"1.2.3"}}]},)"
            R"("scopeSpans":[{"scope":{"name":"switchyard","version":"1.2.3"},"spans":[{)"
            R"("traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"a0a1a2a3a4a5a6a7",)"
            R"("traceState":"rojo=1","parentSpanId":"00000000000000ff","flags":1,)"
            R"("name":"chat gpt-4o","kind":3,)"
            R"("startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",)"
            R"("attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},)"
            R"({"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},)"
            R"({"key":"gen_ai.usage.cost","value":{"doubleValue":2.5E-1}},)"
            R"({"key":"switchyard.stream","value":{"boolValue":false}}],)"
            R"("status":{"message":"upstream_error","code":2}}]}]}]})");
}

TEST(OtlpJsonTest, RootSpanHasNoParentAndUnsetStatusIsEmpty) {
  Span span = testing::FixedSpan();
  span.parent_span_id = {};
  span.status = {};
  span.kind = SpanKind::kServer;
  const boost::json::value parsed =
      boost::json::parse(EncodeOtlpJson(Resource::Switchyard("x"), Scope{}, {&span, 1}));
  const auto& out = parsed.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_FALSE(out.as_object().contains("parentSpanId"));
  EXPECT_TRUE(out.at("status").as_object().empty());
  EXPECT_EQ(out.at("kind").as_int64(), 2);
}

TEST(OtlpJsonTest, NonFiniteDoublesAreSpelledAsStrings) {
  Span span = testing::FixedSpan();
  span.attributes = {Attribute::Double("a", std::numeric_limits<double>::infinity())};
  const boost::json::value parsed =
      boost::json::parse(EncodeOtlpJson(Resource{}, Scope{}, {&span, 1}));
  const auto& attribute = parsed.at("resourceSpans")
                              .at(0)
                              .at("scopeSpans")
                              .at(0)
                              .at("spans")
                              .at(0)
                              .at("attributes")
                              .at(0);
  EXPECT_EQ(attribute.at("value").at("doubleValue").as_string(), "Infinity");
}

}  // namespace
}  // namespace switchyard::telemetry::otlp

#include "telemetry/otlp/otlp_protobuf.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "telemetry/otlp/protobuf_writer.h"
#include "unit/telemetry/otlp/otlp_test_spans.h"

namespace switchyard::telemetry::otlp {
namespace {

// A test-only protobuf reader: each field of one message by number, in order. Varints and fixed
// values as their integer, length-delimited fields as their bytes (decode them again if nested).
struct Field {
  std::uint32_t wire_type = 0;
  std::uint64_t number = 0;  // varint / fixed value
  std::string bytes;         // length-delimited value
};
using Fields = std::multimap<std::uint32_t, Field>;

std::uint64_t ReadVarint(const std::string& in, std::size_t& pos) {
  std::uint64_t value = 0;
  for (int shift = 0; pos < in.size(); shift += 7) {
    const auto byte = static_cast<std::uint8_t>(in[pos++]);
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return value;
  }
  ADD_FAILURE() << "truncated varint";
  return value;
}

Fields Decode(const std::string& in) {
  Fields fields;
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::uint64_t tag = ReadVarint(in, pos);
    Field field;
    field.wire_type = tag & 7;
    const auto number = static_cast<std::uint32_t>(tag >> 3);
    if (field.wire_type == 0) {
      field.number = ReadVarint(in, pos);
    } else if (field.wire_type == 1 || field.wire_type == 5) {
      const int size = field.wire_type == 1 ? 8 : 4;
      EXPECT_LE(pos + size, in.size());
      for (int i = 0; i < size; ++i) {
        field.number |= std::uint64_t{static_cast<std::uint8_t>(in[pos + i])} << (8 * i);
      }
      pos += size;
    } else if (field.wire_type == 2) {
      const std::uint64_t size = ReadVarint(in, pos);
      EXPECT_LE(pos + size, in.size());
      field.bytes = in.substr(pos, size);
      pos += size;
    } else {
      ADD_FAILURE() << "unexpected wire type " << field.wire_type;
      break;
    }
    fields.emplace(number, std::move(field));
  }
  return fields;
}

const Field& One(const Fields& fields, std::uint32_t number) {
  EXPECT_EQ(fields.count(number), 1u) << "field " << number;
  static const Field kMissing;
  const auto it = fields.find(number);
  return it == fields.end() ? kMissing : it->second;
}

std::vector<Fields> All(const Fields& fields, std::uint32_t number) {
  std::vector<Fields> out;
  auto [begin, end] = fields.equal_range(number);
  for (auto it = begin; it != end; ++it) out.push_back(Decode(it->second.bytes));
  return out;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

TEST(OtlpProtobufWriterTest, EncodesThePrimitivesAsTheSpecExamples) {
  ProtobufWriter w;
  w.Varint(1, 150);  // the encoding guide's example: 08 96 01
  EXPECT_EQ(w.bytes(), Bytes({0x08, 0x96, 0x01}));
  ProtobufWriter s;
  s.Bytes(2, std::string_view("testing"));
  EXPECT_EQ(s.bytes(), Bytes({0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'}));
  ProtobufWriter f;
  f.Fixed64(7, 0x0102030405060708u);
  EXPECT_EQ(f.bytes(), Bytes({0x39, 8, 7, 6, 5, 4, 3, 2, 1}));
  ProtobufWriter n;
  n.Int64(3, -1);  // int64, not zigzag: ten bytes
  EXPECT_EQ(n.bytes(), Bytes({0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(OtlpProtobufTest, DecodesBackToTheFixedSpan) {
  const Span span = testing::FixedSpan();
  const std::string encoded =
      EncodeOtlpProtobuf(Resource::Switchyard("1.2.3"), Scope{"switchyard", "1.2.3"}, {&span, 1});

  const Fields request = Decode(encoded);
  const Fields resource_spans = Decode(One(request, 1).bytes);
  const Fields resource = Decode(One(resource_spans, 1).bytes);
  const std::vector<Fields> resource_attributes = All(resource, 1);
  ASSERT_EQ(resource_attributes.size(), 2u);
  EXPECT_EQ(One(resource_attributes[0], 1).bytes, "service.name");
  EXPECT_EQ(One(Decode(One(resource_attributes[0], 2).bytes), 1).bytes, "switchyard");

  const Fields scope_spans = Decode(One(resource_spans, 2).bytes);
  const Fields scope = Decode(One(scope_spans, 1).bytes);
  EXPECT_EQ(One(scope, 1).bytes, "switchyard");
  EXPECT_EQ(One(scope, 2).bytes, "1.2.3");

  const Fields s = Decode(One(scope_spans, 2).bytes);
  EXPECT_EQ(One(s, 1).bytes, std::string(span.trace_id.begin(), span.trace_id.end()));
  EXPECT_EQ(One(s, 2).bytes, std::string(span.span_id.begin(), span.span_id.end()));
  EXPECT_EQ(One(s, 3).bytes, "rojo=1");
  EXPECT_EQ(One(s, 4).bytes, std::string(span.parent_span_id.begin(), span.parent_span_id.end()));
  EXPECT_EQ(One(s, 5).bytes, "chat gpt-4o");
  EXPECT_EQ(One(s, 6).number, 3u);
  EXPECT_EQ(One(s, 7).wire_type, 1u);
  EXPECT_EQ(One(s, 7).number, span.start_time_unix_nano);
  EXPECT_EQ(One(s, 8).number, span.end_time_unix_nano);
  EXPECT_EQ(One(s, 16).wire_type, 5u);
  EXPECT_EQ(One(s, 16).number, 1u);

  const std::vector<Fields> attributes = All(s, 9);
  ASSERT_EQ(attributes.size(), 4u);
  EXPECT_EQ(One(attributes[0], 1).bytes, "gen_ai.request.model");
  EXPECT_EQ(One(Decode(One(attributes[0], 2).bytes), 1).bytes, "gpt-4o");
  EXPECT_EQ(One(Decode(One(attributes[1], 2).bytes), 3).number, 12u);
  // A copy: One() returns a reference into the decoded fields, a temporary here.
  const Field cost = One(Decode(One(attributes[2], 2).bytes), 4);
  EXPECT_EQ(cost.wire_type, 1u);
  double cost_value = 0;
  std::memcpy(&cost_value, &cost.number, sizeof cost_value);
  EXPECT_EQ(cost_value, 0.25);
  // A oneof's false is still written: the value must be there.
  const Field stream = One(Decode(One(attributes[3], 2).bytes), 2);
  EXPECT_EQ(stream.wire_type, 0u);
  EXPECT_EQ(stream.number, 0u);

  const Fields status = Decode(One(s, 15).bytes);
  EXPECT_EQ(One(status, 2).bytes, "upstream_error");
  EXPECT_EQ(One(status, 3).number, 2u);
}

TEST(OtlpProtobufTest, MinimalRootSpanMatchesHandComputedBytes) {
  Span span;
  span.trace_id[15] = 1;
  span.span_id[7] = 2;
  span.name = "a";
  span.kind = SpanKind::kServer;
  span.start_time_unix_nano = 1;
  span.end_time_unix_nano = 2;
  const std::string encoded = EncodeOtlpProtobuf(Resource{}, Scope{"s", ""}, {&span, 1});

  std::string trace_id(16, '\0');
  trace_id[15] = 1;
  std::string span_id(8, '\0');
  span_id[7] = 2;
  const std::string span_bytes =
      Bytes({0x0a, 16}) + trace_id + Bytes({0x12, 8}) + span_id + Bytes({0x2a, 1, 'a', 0x30, 2}) +
      Bytes({0x39, 1, 0, 0, 0, 0, 0, 0, 0}) + Bytes({0x41, 2, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(span_bytes.size(), 51u);  // 18 + 10 + 3 + 2 + 9 + 9
  const std::string scope_spans = Bytes({0x0a, 3, 0x0a, 1, 's', 0x12, 51}) + span_bytes;
  const std::string resource_spans =
      Bytes({0x0a, 0, 0x12, static_cast<int>(scope_spans.size())}) + scope_spans;
  const std::string request =
      Bytes({0x0a, static_cast<int>(resource_spans.size())}) + resource_spans;
  EXPECT_EQ(encoded, request);
}

}  // namespace
}  // namespace switchyard::telemetry::otlp

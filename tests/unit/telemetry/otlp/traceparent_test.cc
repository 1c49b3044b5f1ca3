#include "telemetry/otlp/traceparent.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "telemetry/otlp/hex.h"
#include "telemetry/otlp/id_generator.h"

namespace switchyard::telemetry::otlp {
namespace {

// The W3C spec's own example.
constexpr const char* kExample = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

TEST(TraceparentTest, ParsesTheSpecExample) {
  const auto context = ParseTraceparent(kExample);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(ToLowerHex(context->trace_id), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(ToLowerHex(context->parent_id), "b7ad6b7169203331");
  EXPECT_EQ(context->flags, 0x01);
  EXPECT_TRUE(context->sampled());
}

TEST(TraceparentTest, RoundTripsThroughFormat) {
  const auto context = ParseTraceparent(kExample);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(FormatTraceparent(context->trace_id, context->parent_id, context->flags), kExample);
}

TEST(TraceparentTest, TrimsSurroundingWhitespace) {
  std::string header = " \t";  // appended, not added: GCC 12's -Warray-bounds misfires on +
  header += kExample;
  header += ' ';
  EXPECT_TRUE(ParseTraceparent(header).has_value());
}

TEST(TraceparentTest, UnsampledFlags) {
  const auto context = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  ASSERT_TRUE(context.has_value());
  EXPECT_FALSE(context->sampled());
}

TEST(TraceparentTest, RejectsVersionFf) {
  EXPECT_FALSE(ParseTraceparent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
}

TEST(TraceparentTest, RejectsUppercaseHex) {
  EXPECT_FALSE(ParseTraceparent("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("0A-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
}

TEST(TraceparentTest, RejectsAllZeroIds) {
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"));
}

TEST(TraceparentTest, RejectsWrongLengths) {
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1"));
  std::string longer = kExample;
  longer += "-extra";
  EXPECT_FALSE(ParseTraceparent(longer));  // version 00 is exact
  EXPECT_FALSE(ParseTraceparent(""));
}

TEST(TraceparentTest, RejectsNonHexAndMisplacedDashes) {
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331_01"));
}

TEST(TraceparentTest, AcceptsALaterVersionWithMoreFields) {
  EXPECT_TRUE(
      ParseTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-ever"));
  EXPECT_TRUE(ParseTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
  EXPECT_FALSE(ParseTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x"));
}

TEST(SpanIdGeneratorTest, SeededGeneratorGivesFixedNonZeroIds) {
  std::mt19937_64 rng_a(42);
  std::mt19937_64 rng_b(42);
  IdGenerator a(rng_a);
  IdGenerator b(rng_b);
  const TraceId trace_id = a.NewTraceId();
  EXPECT_EQ(trace_id, b.NewTraceId());
  EXPECT_FALSE(IsZeroId(trace_id));
  const SpanId span_id = a.NewSpanId();
  EXPECT_EQ(span_id, b.NewSpanId());
  EXPECT_FALSE(IsZeroId(span_id));
  EXPECT_NE(a.NewSpanId(), span_id);
  // What it makes, the parser takes back.
  EXPECT_TRUE(ParseTraceparent(FormatTraceparent(trace_id, span_id, 1)).has_value());
}

}  // namespace
}  // namespace switchyard::telemetry::otlp

#include "telemetry/otlp/tracestate.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::telemetry::otlp {
namespace {

TEST(TraceparentTracestateTest, PassesAValidListThroughWithoutOptionalSpaces) {
  EXPECT_EQ(BoundTracestate("rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"),
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(BoundTracestate("tenant1@vendor=x,,  a=b "), "tenant1@vendor=x,a=b");
  EXPECT_EQ(BoundTracestate(""), "");
}

TEST(TraceparentTracestateTest, DropsAMalformedListWhole) {
  EXPECT_EQ(BoundTracestate("Rojo=1"), "");              // uppercase key
  EXPECT_EQ(BoundTracestate("rojo"), "");                // no value
  EXPECT_EQ(BoundTracestate("rojo=a=b"), "");            // '=' in the value
  EXPECT_EQ(BoundTracestate("rojo=1,rojo=2"), "");       // duplicate key
  EXPECT_EQ(BoundTracestate("a@=1"), "");                // empty system id
  EXPECT_EQ(BoundTracestate("rojo=ok,congo=\x01"), "");  // a control character
}

TEST(TraceparentTracestateTest, DropsMoreThan32Members) {
  std::string list;
  for (int i = 0; i < 33; ++i) list += (i ? ",k" : "k") + std::to_string(i) + "=v";
  EXPECT_EQ(BoundTracestate(list), "");
}

TEST(TraceparentTracestateTest, CutsLargeMembersFirstThenFromTheEnd) {
  const std::string large = "big=" + std::string(200, 'x');  // over 128 bytes
  std::string list = "first=" + std::string(100, 'a') + "," + large;
  for (int i = 0; i < 4; ++i) list += ",m" + std::to_string(i) + "=" + std::string(90, 'b');
  ASSERT_GT(list.size(), kMaxTracestateBytes);
  const std::string bounded = BoundTracestate(list);
  EXPECT_LE(bounded.size(), kMaxTracestateBytes);
  EXPECT_EQ(bounded.find("big="), std::string::npos);
  EXPECT_EQ(bounded.rfind("first=", 0), 0u);
  EXPECT_NE(bounded.find("m3="), std::string::npos);  // fits once the large member is gone

  std::string many;
  for (int i = 0; i < 10; ++i)
    many += (i ? ",k" : "k") + std::to_string(i) + "=" + std::string(90, 'c');
  const std::string cut = BoundTracestate(many);
  EXPECT_LE(cut.size(), kMaxTracestateBytes);
  EXPECT_EQ(cut.rfind("k0=", 0), 0u);
  EXPECT_EQ(cut.find("k9="), std::string::npos);
}

}  // namespace
}  // namespace switchyard::telemetry::otlp

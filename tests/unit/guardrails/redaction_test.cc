#include "guardrails/redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "guardrails/pii_scanner.h"
#include "guardrails/secret_scanner.h"

namespace switchyard::guardrails {
namespace {

TEST(RedactionMarkerTest, UpperCasesTheKind) {
  EXPECT_EQ(RedactionMarker("email"), "[REDACTED:EMAIL]");
  EXPECT_EQ(RedactionMarker("api_key"), "[REDACTED:API_KEY]");
  EXPECT_EQ(RedactionMarker("ip_address"), "[REDACTED:IP_ADDRESS]");
  EXPECT_EQ(RedactionMarker(""), "[REDACTED:]");
}

TEST(DisjointTest, SortsAndKeepsSeparateSpans) {
  const std::vector<TextSpan> spans = Disjoint({{10, 12, "b"}, {0, 3, "a"}, {5, 7, "c"}});
  EXPECT_EQ(spans, (std::vector<TextSpan>{{0, 3, "a"}, {5, 7, "c"}, {10, 12, "b"}}));
}

TEST(DisjointTest, MergesOverlappingAndTouchingKeepingTheFirstKind) {
  EXPECT_EQ(Disjoint({{4, 9, "second"}, {0, 5, "first"}}),
            (std::vector<TextSpan>{{0, 9, "first"}}));
  EXPECT_EQ(Disjoint({{0, 5, "first"}, {5, 8, "touching"}}),
            (std::vector<TextSpan>{{0, 8, "first"}}));
  EXPECT_EQ(Disjoint({{0, 10, "outer"}, {2, 4, "inner"}, {12, 14, "next"}}),
            (std::vector<TextSpan>{{0, 10, "outer"}, {12, 14, "next"}}));
  // A chain: each overlaps the next, not the first.
  EXPECT_EQ(Disjoint({{0, 3, "a"}, {2, 6, "b"}, {5, 9, "c"}}),
            (std::vector<TextSpan>{{0, 9, "a"}}));
}

TEST(DisjointTest, EqualBeginsKeepTheLongersKind) {
  EXPECT_EQ(Disjoint({{3, 5, "short"}, {3, 9, "long"}}), (std::vector<TextSpan>{{3, 9, "long"}}));
}

TEST(DisjointTest, DropsEmptySpansAndHandlesNone) {
  EXPECT_EQ(Disjoint({}), std::vector<TextSpan>{});
  EXPECT_EQ(Disjoint({{4, 4, "empty"}, {6, 2, "reversed"}, {0, 1, "a"}}),
            (std::vector<TextSpan>{{0, 1, "a"}}));
}

TEST(RedactTest, ReplacesEachSpan) {
  const std::string_view text = "mail bob@x.io or call 415-555-0132 now";
  const std::vector<TextSpan> spans = {{5, 13, "email"}, {22, 34, "phone"}};
  EXPECT_EQ(Redact(text, spans), "mail [REDACTED:EMAIL] or call [REDACTED:PHONE] now");
}

TEST(RedactTest, SpansAtStartAndEndAndWholeText) {
  EXPECT_EQ(Redact("abcdef", std::vector<TextSpan>{{0, 2, "x"}, {4, 6, "y"}}),
            "[REDACTED:X]cd[REDACTED:Y]");
  EXPECT_EQ(Redact("abc", std::vector<TextSpan>{{0, 3, "api_key"}}), "[REDACTED:API_KEY]");
  EXPECT_EQ(Redact("abc", {}), "abc");
  EXPECT_EQ(Redact("", {}), "");
}

TEST(RedactTest, SkipsSpansThatBreakThePromise) {
  const std::vector<TextSpan> spans = {
      {0, 2, "a"}, {1, 3, "overlap"}, {5, 4, "reversed"}, {4, 99, "outside"}};
  EXPECT_EQ(Redact("abcdef", spans), "[REDACTED:A]cdef");
}

TEST(RedactTest, KeepsUtf8AroundIntact) {
  const std::string text = "écrivez à jean@exemple.fr — merci";
  std::vector<TextSpan> spans;
  FindPii(text, kAllPii, spans);
  EXPECT_EQ(Redact(text, Disjoint(spans)), "écrivez à [REDACTED:EMAIL] — merci");
}

TEST(RedactTest, ScannersThenDisjointThenRedact) {
  const std::string key =
      "sk-proj-"
      "Zx8Qm2Lp7Vt4Rk9Wn3Yb6Hc1Jd5Fs0Ga";
  // Appended, not `"key " + key + ...`: GCC 12 at -O2 reports a false -Warray-bounds on that.
  std::string text = "key ";
  text += key;
  text += ", card 4111 1111 1111 1111, ip ::ffff:192.0.2.1.";
  std::vector<TextSpan> spans;
  FindPii(text, kAllPii, spans);
  FindSecrets(text, spans);
  EXPECT_EQ(Redact(text, Disjoint(std::move(spans))),
            "key [REDACTED:API_KEY], card [REDACTED:CREDIT_CARD], ip [REDACTED:IP_ADDRESS].");
}

}  // namespace
}  // namespace switchyard::guardrails

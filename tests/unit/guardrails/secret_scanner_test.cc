#include "guardrails/secret_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::guardrails {
namespace {

// Keys are put together from a prefix and a body at run time, so that no whole key-shaped literal
// sits in the source for a repository's secret scanning to trip on. None of them is real.
constexpr std::string_view kBody = "Zx8Qm2Lp7Vt4Rk9Wn3Yb6Hc1Jd5Fs0Ga";  // 34 mixed characters

std::string Key(std::string_view prefix, std::string_view body = kBody) {
  return std::string(prefix) + std::string(body);
}

std::vector<TextSpan> Spans(std::string_view text) {
  std::vector<TextSpan> spans;
  FindSecrets(text, spans);
  return spans;
}

struct Hit {
  std::string kind;
  std::string text;
  bool operator==(const Hit&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Hit& hit) {
  return os << hit.kind << ":" << hit.text;
}

std::vector<Hit> Hits(std::string_view text) {
  std::vector<Hit> hits;
  for (const TextSpan& span : Spans(text)) {
    EXPECT_LT(span.begin, span.end);
    EXPECT_LE(span.end, text.size());
    hits.push_back(
        {std::string(span.kind), std::string(text.substr(span.begin, span.end - span.begin))});
  }
  return hits;
}

using HitList = std::vector<Hit>;

// ---- known prefixes ----

TEST(ApiKeyTest, FindsKnownProviderPrefixes) {
  for (const std::string_view prefix :
       {"sk-", "sk-proj-", "sk-ant-api03-", "gsk_", "xai-", "ghp_", "gho_", "ghs_", "ghu_",
        "xoxb-1234567890-", "xoxp-", "glpat-", "hf_", "r8_"}) {
    const std::string key = Key(prefix);
    EXPECT_EQ(Hits("key " + key + " here"), (HitList{{"api_key", key}})) << prefix;
  }
  const std::string github = Key("github_pat_", "11ABCDEFG0" + std::string(kBody) + "_x9");
  EXPECT_EQ(Hits(github), (HitList{{"api_key", github}}));
}

TEST(ApiKeyTest, GoogleKeyIsExactly39Characters) {
  const std::string key = Key("AIza", "SyD" + std::string(kBody.substr(0, 30)) + "-_");
  ASSERT_EQ(key.size(), 39u);
  EXPECT_EQ(Hits("k=" + key), (HitList{{"api_key", key}}));
  for (const Hit& hit : Hits(key + "Q")) EXPECT_NE(hit.kind, "api_key");  // 40: not Google's
  for (const Hit& hit : Hits(key.substr(0, 30))) EXPECT_NE(hit.kind, "api_key");
}

TEST(ApiKeyTest, ExactOffsetsAfterAssignment) {
  const std::string key = Key("sk-proj-");
  const std::string text = "OPENAI_API_KEY=" + key + "\nnext";
  const std::vector<TextSpan> spans = Spans(text);
  ASSERT_EQ(spans.size(), 1u);  // the variable name is not reported as a token besides
  EXPECT_EQ(spans[0], (TextSpan{15, 15 + key.size(), "api_key"}));
}

TEST(ApiKeyTest, ShortOrWordyBodiesAreNotKeys) {
  for (const std::string_view text :
       {"we use sk-learn for this", "sk-learn-classification-pipeline-for-everyone",
        "SK-LEARN-CLASSIFICATION-PIPELINE", "task-1234567890abcdefABCDEF", "ghp_short1",
        "hf_transformers_library_documentation", "xai-grok", "r8_", "gsk_abc",
        "desk-Zx8Qm2Lp7Vt4Rk9Wn3Yb6Hc1Jd5Fs0Ga"}) {
    for (const Hit& hit : Hits(text)) EXPECT_NE(hit.kind, "api_key") << text;
  }
  EXPECT_EQ(Hits("sk-" + std::string(25, 'a')), HitList{});  // one case
  EXPECT_EQ(Hits("sk-learn-classification-v2"), HitList{});  // words
}

TEST(ApiKeyTest, PrefixMustStartAWord) {
  // "ask-" / "mask_" are not prefixes; the run is judged as a whole instead.
  EXPECT_EQ(Hits("ask-" + std::string(kBody))[0].kind, "token");
}

TEST(AwsAccessKeyTest, FindsAkiaAndAsia) {
  const std::string akia = "AKIA" + std::string("IOSFODNN7EXAMPLE");
  const std::string asia = "ASIA" + std::string("Y2K7Q3ZJ5N6P4RXW");
  EXPECT_EQ(Hits(akia + ", " + asia),
            (HitList{{"aws_access_key", akia}, {"aws_access_key", asia}}));
  const std::vector<TextSpan> spans = Spans("id=" + akia);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (TextSpan{3, 23, "aws_access_key"}));
}

TEST(AwsAccessKeyTest, RejectsWrongLengthOrCase) {
  for (const std::string_view text : {"AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX",
                                      "AKIAiosfodnn7example", "XAKIAIOSFODNN7EXAMPLE"}) {
    EXPECT_EQ(Hits(text), HitList{}) << text;
  }
}

// ---- private keys ----

TEST(PrivateKeyTest, WholeBlockThroughEndLine) {
  const std::string block =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7Zq3x9Lm2Vt4Rk9Wn3Yb6Hc1Jd5Fs0Ga\n"
      "Qm2Lp7Vt4Rk9Wn3Yb6Hc1Jd5Fs0GaZx8Qm2Lp7Vt4Rk9W==\n-----END RSA PRIVATE KEY-----";
  const std::string text = "here: " + block + "\nthanks";
  const std::vector<TextSpan> spans = Spans(text);
  ASSERT_EQ(spans.size(), 1u);  // the base64 body is inside the block, not a token of its own
  EXPECT_EQ(spans[0], (TextSpan{6, 6 + block.size(), "private_key"}));
}

TEST(PrivateKeyTest, OtherPrivateKeyLabels) {
  for (const std::string_view label : {"PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
                                       "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"}) {
    const std::string block =
        "-----BEGIN " + std::string(label) + "-----\nabc\n-----END " + std::string(label) + "-----";
    EXPECT_EQ(Hits(block), (HitList{{"private_key", block}})) << label;
  }
}

TEST(PrivateKeyTest, UnterminatedBlockRunsToTheEnd) {
  const std::string text = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU";
  EXPECT_EQ(Spans(text), (std::vector<TextSpan>{{0, text.size(), "private_key"}}));
  const std::string cut = text + "\n-----END OPENSSH PRI";  // its END line still streaming in
  EXPECT_EQ(Spans(cut), (std::vector<TextSpan>{{0, cut.size(), "private_key"}}));
}

TEST(PrivateKeyTest, EscapedNewlinesInJson) {
  const std::string block =
      R"(-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----)";
  const std::string text = R"({"key":")" + block + R"(\n"})";
  const std::vector<TextSpan> spans = Spans(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (TextSpan{8, 8 + block.size(), "private_key"}));
}

TEST(PrivateKeyTest, PublicKeysAndCertificatesAreNotSecrets) {
  EXPECT_EQ(Hits("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----"), HitList{});
  EXPECT_EQ(Hits("-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----"), HitList{});
  EXPECT_EQ(Hits("-----BEGIN PRIVATE KEY"), HitList{});  // no closing dashes: not a header yet
}

// ---- JWT ----

constexpr std::string_view kJwtText =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
    "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

TEST(JwtTest, FindsTokenWithExactOffsets) {
  const std::string text = "Authorization: Bearer " + std::string(kJwtText) + " ok";
  const std::vector<TextSpan> spans = Spans(text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (TextSpan{22, 22 + kJwtText.size(), "jwt"}));
  EXPECT_EQ(Hits("token=" + std::string(kJwtText)), (HitList{{"jwt", std::string(kJwtText)}}));
}

TEST(JwtTest, RejectsIncompleteTokens) {
  const std::string_view header = kJwtText.substr(0, kJwtText.find('.'));
  for (const Hit& hit : Hits(std::string(header) + ".e30.")) EXPECT_NE(hit.kind, "jwt");
  EXPECT_EQ(Hits("eyJhbGciOi.x.SflKxwRJSMeKKF2QT4fw"), HitList{});
  EXPECT_EQ(Hits("eyJ.eyJ.eyJ"), HitList{});
}

// ---- generic tokens ----

TEST(TokenTest, FindsRandomLookingTokens) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE";
  EXPECT_EQ(Hits("aws_secret_access_key = " + secret), (HitList{{"token", secret}}));
  EXPECT_EQ(Hits("password=" + std::string(kBody)), (HitList{{"token", std::string(kBody)}}));
  const std::string padded = "Q2xhdWRlIGlzIGdy7ZWF0IQ9mK==";
  EXPECT_EQ(Hits(padded), (HitList{{"token", padded}}));
}

TEST(TokenTest, LeavesOrdinaryTextAlone) {
  for (const std::string_view text :
       {"The quick brown fox jumps over the lazy dog",
        "Pneumonoultramicroscopicsilicovolcanoconiosis", "supercalifragilisticexpialidocious2",
        "POST /v1/chat/completions HTTP/1.1", "https://api.example.com/v1/models/gpt-4o-mini",
        "/Users/JohnSmith/Documents/Project2024/", "HelloWorld1234567890Test",
        "CamelCaseIdentifierNumber42InSource", "getUserAccountBalance2FromDB",
        "SHA256WithRSAEncryption", "ALLCAPSWORDSWITHANUMBER1INSIDEABC", "x-request-id: abc",
        "123e4567-e89b-12d3-a456-426614174000",      // a UUID
        "8f14e45fceea167a5a36dedd4bea2543e1f0a5b2",  // a git hash: 16 symbols, under 4.2 bits
        "2024-01-15T10:30:00Z", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1A"}) {
    EXPECT_EQ(Hits(text), HitList{}) << text;
  }
}

TEST(TokenTest, VeryLongBase64IsDataNotAToken) {
  std::string blob;
  while (blob.size() < 1000) blob += kBody;
  EXPECT_EQ(Hits("data:image/png;base64," + blob), HitList{});
}

// ---- mixed ----

TEST(SecretScannerTest, SeveralKindsInOrderWithUtf8Around) {
  const std::string openai = Key("sk-proj-");
  const std::string github = Key("ghp_", std::string(kBody) + "AB");
  const std::string text = "clé «" + openai + "» 🔑 " + std::string(kJwtText) + " — " + github +
                           " ключ AKIAIOSFODNN7EXAMPLE";
  EXPECT_EQ(Hits(text), (HitList{{"api_key", openai},
                                 {"jwt", std::string(kJwtText)},
                                 {"api_key", github},
                                 {"aws_access_key", "AKIAIOSFODNN7EXAMPLE"}}));
}

TEST(SecretScannerTest, AtTextStartAndEnd) {
  const std::string key = Key("sk-ant-api03-");
  const std::vector<TextSpan> spans = Spans(key);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (TextSpan{0, key.size(), "api_key"}));
  EXPECT_EQ(Spans("").size(), 0u);
}

TEST(SecretScannerTest, HostileInputsCompleteSanely) {
  constexpr std::size_t kSize = std::size_t{1} << 20;
  auto repeat = [kSize](std::string_view unit) {
    std::string text;
    while (text.size() < kSize) text += unit;
    return text;
  };
  for (const char fill : {'a', '1', '-', '=', '/', 'A'}) {
    EXPECT_EQ(Spans(std::string(kSize, fill)).size(), 0u) << fill;
  }
  for (const std::string_view unit :
       {"sk-", "eyJ", "eyJ.", "eyJhbGciOi.", "-----BEGIN ", "-----BEGIN RSA PRIVATE KEY-----\n",
        "AKIA", "ghp_", "AIza", "xoxb-", "a1B2c3D4 ", "-----END "}) {
    const std::string text = repeat(unit);
    for (const TextSpan& span : Spans(text)) {
      ASSERT_LT(span.begin, span.end) << unit;
      ASSERT_LE(span.end, text.size()) << unit;
    }
  }
  // Repeated "sk-" is one lower-case run: no key in it.
  EXPECT_EQ(Spans(repeat("sk-")).size(), 0u);
  // An endless stream of headers without an END is one block through the end.
  EXPECT_EQ(Spans(repeat("-----BEGIN EC PRIVATE KEY-----\n")).size(), 1u);
}

}  // namespace
}  // namespace switchyard::guardrails

#include "core/redact.h"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(RedactSecretsTest, RemovesTheExactSecret) {
  EXPECT_EQ(RedactSecrets("bad key my-custom-secret-1 here", "my-custom-secret-1"),
            "bad key [redacted] here");
}

TEST(RedactSecretsTest, RemovesKeyLikeTokensEvenMasked) {
  EXPECT_EQ(RedactSecrets("Incorrect API key provided: sk-proj-****************abcd.", ""),
            "Incorrect API key provided: [redacted].");
  EXPECT_EQ(RedactSecrets("key gsk_0123456789abcdef rejected", ""), "key [redacted] rejected");
}

TEST(RedactSecretsTest, LeavesOrdinaryTextAlone) {
  const std::string text = "Rate limit reached for gpt-4o-mini in organization org-1 (task-sk).";
  EXPECT_EQ(RedactSecrets(text, "sk-this-is-not-in-the-text"), text);
  EXPECT_EQ(RedactSecrets("short sk-1", ""), "short sk-1");  // too short to be a key
}

TEST(RedactSecretsTest, IgnoresShortSecrets) {
  // A short configured secret would redact ordinary words; keys are never that short.
  EXPECT_EQ(RedactSecrets("the model is busy", "the"), "the model is busy");
}

TEST(RedactedErrorTest, EveryTextOfTheErrorIsRedacted) {
  Error error = Error::UpstreamProtocol("the provider reported an error: key my-custom-secret-1");
  error.type = "my-custom-secret-1";
  error.param = "Bearer my-custom-secret-1";
  error.code = "sk-proj-0123456789abcdef";
  const Error redacted = RedactedError(error, "my-custom-secret-1");
  EXPECT_EQ(redacted.message, "the provider reported an error: key [redacted]");
  EXPECT_EQ(redacted.type, "[redacted]");
  EXPECT_EQ(redacted.param, "Bearer [redacted]");
  EXPECT_EQ(redacted.code, "[redacted]");
  EXPECT_EQ(redacted.kind, error.kind);
  EXPECT_EQ(redacted.http_status, error.http_status);
}

TEST(RemoveSecretTest, ReplacesOnlyTheExactSecretInPlace) {
  std::string text = R"({"id":"my-custom-secret-1","x":"my-custom-secret-1my-custom-secret-1"})";
  EXPECT_TRUE(RemoveSecret(text, "my-custom-secret-1"));
  EXPECT_EQ(text, R"({"id":"[redacted]","x":"[redacted][redacted]"})");
  std::string model_text = "an example key: sk-proj-0123456789abcdef";
  EXPECT_FALSE(RemoveSecret(model_text, "my-custom-secret-1"));
  EXPECT_EQ(model_text, "an example key: sk-proj-0123456789abcdef");  // not the attempt's key
  std::string short_secret = "the model";
  EXPECT_FALSE(RemoveSecret(short_secret, "the"));
  EXPECT_EQ(short_secret, "the model");
}

}  // namespace
}  // namespace switchyard

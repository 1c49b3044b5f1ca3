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

}  // namespace
}  // namespace switchyard

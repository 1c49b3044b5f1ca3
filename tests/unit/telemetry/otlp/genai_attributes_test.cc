#include "telemetry/otlp/genai_attributes.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>

namespace switchyard::telemetry::otlp::genai {
namespace {

const AttributeValue* Find(const std::vector<Attribute>& attributes, std::string_view key) {
  for (const Attribute& attribute : attributes) {
    if (attribute.key == key) return &attribute.value;
  }
  return nullptr;
}

std::optional<std::int64_t> IntOf(const std::vector<Attribute>& attributes, std::string_view key) {
  const AttributeValue* value = Find(attributes, key);
  if (value == nullptr || !std::holds_alternative<std::int64_t>(*value)) return std::nullopt;
  return std::get<std::int64_t>(*value);
}

std::optional<std::string> StringOf(const std::vector<Attribute>& attributes,
                                    std::string_view key) {
  const AttributeValue* value = Find(attributes, key);
  if (value == nullptr || !std::holds_alternative<std::string>(*value)) return std::nullopt;
  return std::get<std::string>(*value);
}

ledger::AttemptRecord Attempt(std::int64_t input, std::int64_t cached, std::int64_t output,
                              std::optional<std::int64_t> cost_nanos) {
  ledger::AttemptRecord attempt;
  attempt.provider = "openai";
  attempt.model = "gpt-4o-2024-08-06";
  attempt.http_status = 200;
  attempt.usage.input_tokens = input;
  attempt.usage.cached_input_tokens = cached;
  attempt.usage.cache_write_tokens = 3;
  attempt.usage.cache_write_1h_tokens = 4;
  attempt.usage.output_tokens = output;
  attempt.usage.reasoning_tokens = 5;
  attempt.usage.reported = true;
  attempt.cost_nanos = cost_nanos;
  return attempt;
}

TEST(OtlpGenAiAttributesTest, CallSumsItsAttemptsUnderSemconvNames) {
  ledger::CallRecord call;
  call.request_id = "req-1";
  call.path = "/v1/chat/completions";
  call.requested_model = "fast";
  call.route = "fast";
  call.provider = "openai";
  call.model = "gpt-4o-2024-08-06";
  call.status = 200;
  call.key_name = "secret-team-key";
  call.metadata_json = R"({"user":"x"})";
  call.attempts = {Attempt(100, 20, 50, 1'500'000), Attempt(10, 0, 5, 500'000)};
  call.attempts[1].n = 2;

  const std::vector<Attribute> attributes = CallAttributes(call);
  EXPECT_EQ(StringOf(attributes, kOperationName), "chat");
  EXPECT_EQ(StringOf(attributes, kProviderName), "openai");
  EXPECT_EQ(StringOf(attributes, kRequestModel), "fast");
  EXPECT_EQ(StringOf(attributes, kResponseModel), "gpt-4o-2024-08-06");
  EXPECT_EQ(IntOf(attributes, kHttpResponseStatusCode), 200);
  // input_tokens counts every prompt token: (100+20+3+4) + (10+0+3+4).
  EXPECT_EQ(IntOf(attributes, kUsageInputTokens), 144);
  EXPECT_EQ(IntOf(attributes, kUsageCacheReadInputTokens), 20);
  EXPECT_EQ(IntOf(attributes, kUsageCacheCreationInputTokens), 14);
  EXPECT_EQ(IntOf(attributes, kUsageOutputTokens), 55);
  EXPECT_EQ(IntOf(attributes, kUsageReasoningOutputTokens), 10);
  const AttributeValue* cost = Find(attributes, kUsageCost);
  ASSERT_NE(cost, nullptr);
  EXPECT_DOUBLE_EQ(std::get<double>(*cost), 0.002);
  EXPECT_EQ(Find(attributes, kErrorType), nullptr);
  for (const Attribute& attribute : attributes) {  // nothing of the key or the metadata leaves
    if (const auto* text = std::get_if<std::string>(&attribute.value)) {
      EXPECT_EQ(text->find("secret-team-key"), std::string::npos);
      EXPECT_EQ(text->find("user"), std::string::npos);
    }
  }
}

TEST(OtlpGenAiAttributesTest, UnknownPriceLeavesCostOut) {
  ledger::CallRecord call;
  call.attempts = {Attempt(1, 0, 1, std::nullopt), Attempt(1, 0, 1, 7)};
  EXPECT_EQ(Find(CallAttributes(call), kUsageCost), nullptr);
}

TEST(OtlpGenAiAttributesTest, NoReportedUsageLeavesTokensOut) {
  ledger::AttemptRecord attempt;
  attempt.outcome = ledger::AttemptOutcome::kConnectError;
  const std::vector<Attribute> attributes = AttemptAttributes(attempt, "m");
  EXPECT_EQ(Find(attributes, kUsageInputTokens), nullptr);
  EXPECT_EQ(Find(attributes, kHttpResponseStatusCode), nullptr);
  EXPECT_EQ(StringOf(attributes, kErrorType), std::string(ledger::ToString(attempt.outcome)));
}

TEST(OtlpGenAiAttributesTest, AttemptCarriesItsKindOutcomeAndCost) {
  ledger::AttemptRecord attempt = Attempt(7, 1, 2, 2'000'000'000);
  attempt.n = 3;
  attempt.kind = ledger::AttemptKind::kFallback;
  const std::vector<Attribute> attributes = AttemptAttributes(attempt, "fast");
  EXPECT_EQ(StringOf(attributes, kRequestModel), "fast");
  EXPECT_EQ(StringOf(attributes, kResponseModel), "gpt-4o-2024-08-06");
  EXPECT_EQ(IntOf(attributes, kAttemptNumber), 3);
  EXPECT_EQ(StringOf(attributes, kAttemptKind), std::string(ledger::ToString(attempt.kind)));
  EXPECT_EQ(IntOf(attributes, kUsageInputTokens), 15);
  EXPECT_DOUBLE_EQ(std::get<double>(*Find(attributes, kUsageCost)), 2.0);
  EXPECT_EQ(SpanName(kOperationChat, "gpt-4o"), "chat gpt-4o");
}

TEST(OtlpGenAiAttributesTest, EmbeddingAttemptIsAnEmbeddingsOperation) {
  ledger::AttemptRecord attempt;
  attempt.kind = ledger::AttemptKind::kEmbedding;
  EXPECT_EQ(StringOf(AttemptAttributes(attempt, ""), kOperationName), "embeddings");
}

}  // namespace
}  // namespace switchyard::telemetry::otlp::genai

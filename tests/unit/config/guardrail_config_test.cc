// `guardrails:` and the lists routes and keys attach (CONTRACT.md "Guardrails").
#include <gtest/gtest.h>

#include "config/guardrail_config.h"
#include "config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::HasProblem;
using testing_util::Load;

constexpr std::string_view kProviders =
    "providers:\n"
    "  openai: { base_url: http://127.0.0.1:9, api_key: k }\n";

LoadResult LoadWith(std::string_view yaml) { return Load(std::string(kProviders) + std::string(yaml)); }

TEST(GuardrailConfigTest, ReadsTheContractsExample) {
  LoadResult result = LoadWith(
      "guardrails:\n"
      "  no-secrets: { on: input, check: secrets, action: deny }\n"
      "  pii-out:    { on: output, check: pii, kinds: [email, phone], action: redact }\n"
      "  policy:     { on: input, check: regex, pattern: '(?i)ignore previous', action: flag }\n"
      "  json-only:  { on: output, check: json_schema, schema: { type: object }, action: fallback }\n"
      "routes:\n"
      "  support: { targets: [openai/gpt-4o-mini], guardrails: [no-secrets, pii-out] }\n"
      "keys:\n"
      "  - { key: key-for-team-a, name: team-a, guardrails: [no-secrets] }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const Config& config = *result.config;
  ASSERT_EQ(config.guardrails.size(), 4u);
  const GuardrailConfig& secrets = config.guardrails[0];
  EXPECT_EQ(secrets.name, "no-secrets");
  EXPECT_EQ(secrets.on, GuardrailStage::kInput);
  EXPECT_EQ(secrets.check, "secrets");
  EXPECT_EQ(secrets.action, GuardrailAction::kDeny);
  EXPECT_FALSE(secrets.global);
  const GuardrailConfig& pii = config.guardrails[1];
  EXPECT_EQ(pii.kinds, (std::vector<std::string>{"email", "phone"}));
  EXPECT_EQ(pii.stream, GuardrailStream::kWindow);  // a span check's default
  EXPECT_EQ(pii.window_chars, kDefaultGuardrailWindowChars);
  EXPECT_EQ(config.guardrails[2].pattern, "(?i)ignore previous");
  EXPECT_EQ(config.guardrails[3].schema_json, R"({"type":"object"})");
  EXPECT_EQ(config.guardrails[3].stream, GuardrailStream::kHold);  // needs the whole answer
  EXPECT_EQ(config.routes[0].guardrails, (std::vector<std::string>{"no-secrets", "pii-out"}));
  EXPECT_EQ(config.keys[0].policy.guardrails, (std::vector<std::string>{"no-secrets"}));
}

TEST(GuardrailConfigTest, ReadsEachChecksFields) {
  LoadResult result = LoadWith(
      "guardrails:\n"
      "  w: { on: output, check: words, words: [darn, 'heck no'], action: redact, window_chars: 64 }\n"
      "  l: { on: output, check: length, max_chars: 100, min_chars: 2, action: deny, stream: after }\n"
      "  d: { on: input, check: denied_params, params: [logprobs], action: deny, global: true }\n"
      "  m: { on: input, check: required_metadata, keys: [team], action: flag }\n"
      "  r: { on: output, check: regex, pattern: 'ticket-[0-9]+', kind: ticket, action: redact }\n");
  ASSERT_FALSE(result.config) << "stream: after with deny must be refused";
  EXPECT_TRUE(HasProblem(result, 5, "after")) << Dump(result);

  result = LoadWith(
      "guardrails:\n"
      "  w: { on: output, check: words, words: [darn, 'heck no'], action: redact, window_chars: 64 }\n"
      "  l: { on: output, check: length, max_chars: 100, min_chars: 2, action: flag, stream: after }\n"
      "  d: { on: input, check: denied_params, params: [logprobs], action: deny, global: true }\n"
      "  m: { on: input, check: required_metadata, keys: [team], action: flag }\n"
      "  r: { on: output, check: regex, pattern: 'ticket-[0-9]+', kind: ticket, action: redact }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const std::vector<GuardrailConfig>& guardrails = result.config->guardrails;
  EXPECT_EQ(guardrails[0].words, (std::vector<std::string>{"darn", "heck no"}));
  EXPECT_EQ(guardrails[0].window_chars, 64);
  EXPECT_EQ(guardrails[1].max_chars, 100);
  EXPECT_EQ(guardrails[1].min_chars, 2);
  EXPECT_EQ(guardrails[1].stream, GuardrailStream::kAfter);
  EXPECT_TRUE(guardrails[2].global);
  EXPECT_EQ(guardrails[2].params, (std::vector<std::string>{"logprobs"}));
  EXPECT_EQ(guardrails[3].keys, (std::vector<std::string>{"team"}));
  EXPECT_EQ(guardrails[4].kind, "ticket");
}

struct BadCase {
  const char* yaml;  // one guardrail, on line 4 of the loaded text
  const char* problem;
};

class GuardrailConfigProblemTest : public testing::TestWithParam<BadCase> {};

TEST_P(GuardrailConfigProblemTest, IsReportedAtItsLine) {
  LoadResult result = LoadWith(std::string("guardrails:\n") + GetParam().yaml + "\n");
  ASSERT_FALSE(result.config) << GetParam().yaml;
  EXPECT_TRUE(HasProblem(result, 4, GetParam().problem)) << Dump(result);
}

INSTANTIATE_TEST_SUITE_P(
    Combinations, GuardrailConfigProblemTest,
    testing::Values(
        BadCase{"  g: { on: input, check: secrets }", "needs action"},
        BadCase{"  g: { check: secrets, action: deny }", "needs on"},
        BadCase{"  g: { on: input, action: deny }", "needs check"},
        BadCase{"  g: { on: input, check: nudity, action: deny }", "is not a check"},
        BadCase{"  g: { on: input, check: webhook, action: deny }", "needs url"},
        BadCase{"  g: { on: input, check: webhook, url: 'ftp://h/x', action: deny }", "url"},
        BadCase{"  g: { on: output, check: webhook, url: 'http://127.0.0.1:9/x', action: deny, "
                "stream: window }",
                "needs the whole answer"},
        BadCase{"  g: { on: input, check: webhook, url: 'http://127.0.0.1:9/x', action: deny, "
                "on_timeout: maybe }",
                "on_timeout"},
        BadCase{"  g: { on: input, check: llm, rubric: polite, action: flag }", "needs model"},
        BadCase{"  g: { on: input, check: llm, model: openai/m, action: flag }", "needs rubric"},
        BadCase{"  g: { on: output, check: llm, model: openai/m, rubric: r, action: redact }",
                "no text to redact"},
        BadCase{"  g: { on: output, check: llm, model: openai/m, rubric: r, action: deny, "
                "stream: after }",
                "only be flag"},
        BadCase{"  g: { on: output, check: json, action: redact }", "no text to redact"},
        BadCase{"  g: { on: input, check: pii, action: fallback }", "for on: output"},
        BadCase{"  g: { on: input, check: json, action: deny }", "is for on: output"},
        BadCase{"  g: { on: output, check: denied_params, params: [x], action: deny }",
                "is for on: input"},
        BadCase{"  g: { on: output, check: json, action: deny, stream: window }",
                "needs the whole answer"},
        BadCase{"  g: { on: input, check: pii, action: deny, stream: hold }", "no stream"},
        BadCase{"  g: { on: input, check: regex, pattern: '(a', action: deny }", "does not compile"},
        BadCase{"  g: { on: input, check: regex, action: deny }", "needs pattern"},
        BadCase{"  g: { on: input, check: pii, kinds: [email, dna], action: deny }",
                "not a PII kind"},
        BadCase{"  g: { on: input, check: words, action: deny }", "needs words"},
        BadCase{"  g: { on: input, check: length, action: deny }", "needs min_chars or max_chars"},
        BadCase{"  g: { on: output, check: json_schema, schema: { type: 7 }, action: deny }",
                "schema"},
        BadCase{"  g: { on: input, check: secrets, action: deny, pattern: x }", "pattern"},
        BadCase{"  g: { on: output, check: pii, action: redact, window_chars: 4 }",
                "window_chars"}));

TEST(GuardrailConfigTest, ReadsAWebhook) {
  LoadResult result = LoadWith(
      "guardrails:\n"
      "  hook: { on: input, check: webhook, url: 'http://127.0.0.1:9000/check', timeout_ms: 300,\n"
      "          action: redact, headers: { authorization: 'Bearer t0ken' } }\n"
      "  out: { on: output, check: webhook, url: 'http://127.0.0.1:9000/out', action: flag }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const GuardrailConfig& hook = result.config->guardrails[0];
  EXPECT_EQ(hook.url, "http://127.0.0.1:9000/check");
  EXPECT_EQ(hook.timeout_ms, 300);
  EXPECT_EQ(hook.on_timeout_allow, false);  // the contract's default on input
  EXPECT_EQ(hook.headers.at("authorization").reveal(), "Bearer t0ken");
  const GuardrailConfig& out = result.config->guardrails[1];
  EXPECT_EQ(out.timeout_ms, kDefaultWebhookTimeoutMs);
  EXPECT_EQ(out.on_timeout_allow, true);  // ... and on output
  EXPECT_EQ(out.stream, GuardrailStream::kHold);
}

TEST(GuardrailConfigTest, ReadsAnLlmJudge) {
  LoadResult result = LoadWith(
      "guardrails:\n"
      "  judge: { on: output, check: llm, model: openai/gpt-4o-mini, rubric: 'Polite.', "
      "action: flag }\n"
      "  gate: { on: output, check: llm, model: openai/gpt-4o-mini, rubric: 'Polite.', "
      "action: deny, timeout_ms: 2000, max_tokens: 20, on_timeout: deny }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const GuardrailConfig& judge = result.config->guardrails[0];
  EXPECT_EQ(judge.model, "openai/gpt-4o-mini");
  EXPECT_EQ(judge.rubric, "Polite.");
  EXPECT_EQ(judge.stream, GuardrailStream::kAfter);  // flag only: the stream goes out as it comes
  EXPECT_EQ(judge.timeout_ms, kDefaultJudgeTimeoutMs);
  EXPECT_EQ(judge.on_timeout_allow, true);
  const GuardrailConfig& gate = result.config->guardrails[1];
  EXPECT_EQ(gate.stream, GuardrailStream::kHold);
  EXPECT_EQ(gate.timeout_ms, 2000);
  EXPECT_EQ(gate.max_tokens, 20);
  EXPECT_EQ(gate.on_timeout_allow, false);
}

TEST(GuardrailConfigTest, RoutesAndKeysNameDefinedGuardrails) {
  LoadResult result = LoadWith(
      "guardrails:\n"
      "  a: { on: input, check: secrets, action: deny }\n"
      "routes:\n"
      "  r: { targets: [openai/gpt-4o-mini], guardrails: [a, missing] }\n"
      "keys:\n"
      "  - { key: key-for-team-a, name: team-a, guardrails: [nope] }\n");
  ASSERT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 6, "guardrail 'missing' is not defined")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 8, "guardrail 'nope' is not defined")) << Dump(result);
}

}  // namespace
}  // namespace switchyard::config

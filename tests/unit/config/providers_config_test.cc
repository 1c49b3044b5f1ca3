// `providers:` and `keys:` sections, and the rule that no problem message ever quotes a secret.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::FakeEnv;
using testing_util::HasProblem;
using testing_util::Load;

const ProviderConfig& OnlyProvider(const LoadResult& result) {
  EXPECT_EQ(result.config->providers.size(), 1u);
  return result.config->providers.at(0);
}

TEST(ProvidersConfigTest, KnownNameGetsProfileDefaults) {
  LoadResult result = Load("providers:\n  groq: { api_key: gk }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const ProviderConfig& groq = OnlyProvider(result);
  EXPECT_EQ(groq.name, "groq");
  EXPECT_EQ(groq.kind, wire::Format::kOpenAI);
  EXPECT_EQ(groq.base_url, "https://api.groq.com/openai/v1");
  ASSERT_NE(groq.profile, nullptr);
  EXPECT_EQ(groq.profile->name, "groq");
  EXPECT_EQ(groq.api_key.reveal(), "gk");
  EXPECT_EQ(groq.line, 2);
}

TEST(ProvidersConfigTest, EmptyOrNullValueIsAllowed) {
  LoadResult result = Load("providers:\n  openai: {}\n  anthropic:\n  gemini: ~\n");
  ASSERT_TRUE(result.config) << Dump(result);
  ASSERT_EQ(result.config->providers.size(), 3u);
  EXPECT_TRUE(result.config->providers[0].api_key.empty());
  EXPECT_EQ(result.config->providers[1].kind, wire::Format::kAnthropic);
  EXPECT_EQ(result.config->providers[1].base_url, "https://api.anthropic.com");
  EXPECT_EQ(result.config->providers[2].kind, wire::Format::kGemini);
}

TEST(ProvidersConfigTest, BaseUrlOverridesAndLosesTrailingSlash) {
  LoadResult result = Load("providers:\n  openai: { base_url: 'http://127.0.0.1:9999/v1/' }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(OnlyProvider(result).base_url, "http://127.0.0.1:9999/v1");
  EXPECT_NE(OnlyProvider(result).profile, nullptr);
}

TEST(ProvidersConfigTest, CustomNameNeedsKindAndBaseUrl) {
  LoadResult missing = Load("providers:\n  local: {}\n");
  EXPECT_FALSE(missing.config);
  EXPECT_TRUE(HasProblem(missing, 2, "provider 'local' is not a known host and needs a kind"))
      << Dump(missing);
  EXPECT_TRUE(HasProblem(missing, 2, "provider 'local' is not a known host and needs a base_url"))
      << Dump(missing);

  LoadResult good =
      Load("providers:\n  local: { kind: anthropic, base_url: http://127.0.0.1:11434 }\n");
  ASSERT_TRUE(good.config) << Dump(good);
  EXPECT_EQ(OnlyProvider(good).kind, wire::Format::kAnthropic);
  EXPECT_EQ(OnlyProvider(good).base_url, "http://127.0.0.1:11434");
  EXPECT_EQ(OnlyProvider(good).profile, nullptr);
}

TEST(ProvidersConfigTest, KindMustMatchKnownHost) {
  LoadResult result = Load("providers:\n  openai:\n    kind: anthropic\n");
  EXPECT_TRUE(HasProblem(result, 3, "kind 'anthropic' of provider 'openai' does not match"))
      << Dump(result);
  EXPECT_TRUE(Load("providers:\n  openai: { kind: openai }\n").config);
}

TEST(ProvidersConfigTest, BadProviderValues) {
  struct Case {
    std::string yaml;
    std::string expected;
  };
  const Case cases[] = {
      {"local: { kind: soap, base_url: http://h }",
       "providers.local.kind must be one of "
       "openai|anthropic|gemini (got 'soap')"},
      {"local: { kind: openai, base_url: ftp://h }", "base_url of provider 'local' must be"},
      {"local: { kind: openai, base_url: 'http://' }", "base_url of provider 'local' must be"},
      {"local: { kind: openai, base_url: 'https:///v1' }", "base_url of provider 'local'"},
      {"local: { kind: openai, base_url: 'not a url' }", "base_url of provider 'local'"},
      {"OpenAI: {}", "provider name 'OpenAI' must start with a lowercase letter"},
      {"-x: { kind: openai, base_url: http://h }", "provider name '-x'"},
      {"openai: sk-123", "providers.openai must be a map"},
      {"openai: { models: gpt-4o }", "providers.openai.models must be a list of strings"},
      {"openai: { models: [gpt-4o, ''] }", "providers.openai.models[1] must be a non-empty"},
      {"openai: { headers: [a] }", "providers.openai.headers must be a map"},
      {"openai: { headers: { 'bad header': x } }", "'bad header' in providers.openai.headers"},
      {"openai: { headers: { X-A: [x] } }", "providers.openai.headers.X-A must be a string"},
      {"openai: { limits: { connect_ms: 0 } }", "providers.openai.limits.connect_ms must be"},
      {"openai: { api_key: [a, b] }", "providers.openai.api_key must be a single value"},
  };
  for (const Case& c : cases) {
    LoadResult result = Load("providers:\n  " + c.yaml + "\n");
    EXPECT_FALSE(result.config) << c.yaml;
    EXPECT_TRUE(HasProblem(result, 2, c.expected)) << c.yaml << "\n" << Dump(result);
  }
}

TEST(ProvidersConfigTest, ModelsAndHeaders) {
  LoadResult result = Load(
      "providers:\n  openrouter:\n    models: [a/b, c]\n"
      "    headers: { HTTP-Referer: https://example.com, X-Title: demo }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(OnlyProvider(result).models, (std::vector<std::string>{"a/b", "c"}));
  EXPECT_EQ(OnlyProvider(result).headers.at("HTTP-Referer"), "https://example.com");
  EXPECT_EQ(OnlyProvider(result).headers.at("X-Title"), "demo");
}

TEST(ProvidersConfigTest, EmptyInterpolatedApiKeyMeansNone) {
  LoadResult result = Load("providers:\n  ollama: { api_key: \"${OLLAMA_KEY:-}\" }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_TRUE(OnlyProvider(result).api_key.empty());
}

TEST(ProvidersConfigTest, DeadlinesStartFromTopLevelWhateverTheOrder) {
  const char* limits = "limits: { connect_ms: 111, idle_ms: 222 }\n";
  const char* providers = "providers:\n  openai: { limits: { connect_ms: 5, total_ms: 6 } }\n";
  for (bool limits_first : {true, false}) {
    std::string yaml =
        limits_first ? std::string(limits) + providers : std::string(providers) + limits;
    LoadResult result = Load(yaml);
    ASSERT_TRUE(result.config) << Dump(result);
    const http::UpstreamDeadlines& deadlines = OnlyProvider(result).deadlines;
    EXPECT_EQ(deadlines.connect, Millis(5)) << yaml;
    EXPECT_EQ(deadlines.idle, Millis(222)) << yaml;
    EXPECT_EQ(deadlines.total, Millis(6)) << yaml;
    EXPECT_EQ(deadlines.first_byte, http::UpstreamDeadlines{}.first_byte) << yaml;
    EXPECT_EQ(result.config->deadlines.connect, Millis(111));
  }
}

TEST(KeysConfigTest, ReadsKeys) {
  LoadResult result = Load(
      "keys:\n  - { key: key-one-1, name: team-a }\n  - key: key-two-2\n    name: team-b\n");
  ASSERT_TRUE(result.config) << Dump(result);
  ASSERT_EQ(result.config->keys.size(), 2u);
  EXPECT_EQ(result.config->keys[0].key.reveal(), "key-one-1");
  EXPECT_EQ(result.config->keys[1].name, "team-b");
}

TEST(KeysConfigTest, MissingOrEmptyFields) {
  LoadResult result = Load(
      "keys:\n"
      "  - { name: a }\n"                       // 2
      "  - { key: key-two-2 }\n"                // 3
      "  - { key: \"${EMPTY:-}\", name: c }\n"  // 4
      "  - { key: key-four-4, name: d, extra: 1 }\n");  // 5
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 2, "keys[0] ('a') needs a non-empty key")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 3, "keys[1] needs a non-empty name")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 4, "keys[2] ('c') needs a non-empty key")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 5, "unknown key in keys[3]")) << Dump(result);
  EXPECT_TRUE(HasProblem(Load("keys: { a: b }"), 1, "keys must be a list"));
}

TEST(KeysConfigTest, NamesAndKeysMustBeUnique) {
  LoadResult result = Load(
      "keys:\n"
      "  - { key: key-one-1, name: a }\n"
      "  - { key: key-two-2, name: a }\n"
      "  - { key: key-one-1, name: b }\n");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 3, "keys[1] ('a') repeats the name of keys[0] ('a')"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 4, "keys[2] ('b') has the same key as keys[0] ('a')"))
      << Dump(result);
  EXPECT_EQ(result.problems.size(), 2u) << Dump(result);
}

// A one-character gateway key could be guessed in a few calls: refused at load, with its line, and
// without quoting it. 8 characters is the least accepted.
TEST(KeysConfigTest, RefusesKeysShorterThanEightCharacters) {
  LoadResult result = Load(
      "keys:\n"
      "  - { key: x, name: one }\n"         // 2
      "  - { key: 7chars7, name: seven }\n"  // 3
      "  - { key: 8chars88, name: eight }\n");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 2, "keys[0] ('one') is shorter than 8 characters")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 3, "keys[1] ('seven') is shorter than 8 characters"))
      << Dump(result);
  EXPECT_EQ(result.problems.size(), 2u) << Dump(result);
  for (const ConfigProblem& problem : result.problems) {
    EXPECT_EQ(problem.message.find("7chars7"), std::string::npos) << problem.message;
  }
  EXPECT_TRUE(Load("keys: [ { key: 8chars88, name: eight } ]\n").config);
}

TEST(SecretsTest, NoProblemMessageQuotesASecret) {
  LoadResult result = Load(
      "admin_key: [SECRET-admin]\n"
      "providers:\n"
      "  openai: SECRET-as-provider-value\n"
      "  groq: { api_key: { k: SECRET-api } }\n"
      "  local: { kind: openai, base_url: 'ftp://user:SECRET-url@host' }\n"
      "  mistral: { headers: { Authorization: \"Bearer SECRET-h\\n\" } }\n"
      "keys:\n"
      "  - SECRET-bare-key\n"
      "  - { SECRET-as-map-key: team }\n"
      "  - { key: SECRET-dup, name: x }\n"
      "  - { key: SECRET-dup, name: y }\n"
      "  - { key: [SECRET-list], name: z }\n"
      "ledger: { backend: postgres, url: { u: SECRET-db } }\n"
      "cache: { backend: redis, url: [SECRET-redis] }\n"
      "routes: { r: { targets: [ { model: openai/x, params: { k: .inf } } ] } }\n"
      "threads: ${BAD REF:-SECRET-default}\n",
      FakeEnv());
  EXPECT_FALSE(result.config);
  EXPECT_GE(result.problems.size(), 12u) << Dump(result);
  for (const ConfigProblem& problem : result.problems) {
    EXPECT_EQ(problem.message.find("SECRET"), std::string::npos) << problem.message;
  }
}

}  // namespace
}  // namespace switchyard::config

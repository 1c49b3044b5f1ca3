#include "config/env_interpolation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "config/yaml_reader.h"
#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::FakeEnv;
using testing_util::HasProblem;
using testing_util::Load;

std::string Interpolate(std::string_view text, const EnvLookup& env, Problems* problems) {
  return InterpolateEnv(text, 7, env, problems);
}

TEST(InterpolateEnvTest, ReplacesSetVariable) {
  Problems problems;
  EXPECT_EQ(Interpolate("${KEY}", FakeEnv({{"KEY", "v1"}}), &problems), "v1");
  EXPECT_TRUE(problems.empty());
}

TEST(InterpolateEnvTest, ReplacesInsideLongerStringAndSeveralTimes) {
  Problems problems;
  EnvLookup env = FakeEnv({{"A", "x"}, {"B", "y"}});
  EXPECT_EQ(Interpolate("Bearer ${A}", env, &problems), "Bearer x");
  EXPECT_EQ(Interpolate("${A}-${B}/${A}", env, &problems), "x-y/x");
  EXPECT_TRUE(problems.empty());
}

TEST(InterpolateEnvTest, DefaultWhenUnsetOrEmpty) {
  Problems problems;
  EnvLookup env = FakeEnv({{"EMPTY", ""}, {"SET", "s"}});
  EXPECT_EQ(Interpolate("${MISSING:-fallback}", env, &problems), "fallback");
  EXPECT_EQ(Interpolate("${EMPTY:-fallback}", env, &problems), "fallback");
  EXPECT_EQ(Interpolate("${SET:-fallback}", env, &problems), "s");
  EXPECT_EQ(Interpolate("${MISSING:-}", env, &problems), "");
  EXPECT_EQ(Interpolate("${MISSING:-a:-b}", env, &problems), "a:-b");
  EXPECT_TRUE(problems.empty());
}

TEST(InterpolateEnvTest, SetButEmptyWithoutDefaultIsEmpty) {
  Problems problems;
  EXPECT_EQ(Interpolate("<${EMPTY}>", FakeEnv({{"EMPTY", ""}}), &problems), "<>");
  EXPECT_TRUE(problems.empty());
}

TEST(InterpolateEnvTest, UnsetWithoutDefaultIsAProblemAtItsLine) {
  Problems problems;
  EXPECT_EQ(Interpolate("a ${NOPE} b", FakeEnv(), &problems), "a  b");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 7);
  EXPECT_EQ(problems[0].message, "environment variable NOPE is not set");
}

TEST(InterpolateEnvTest, MalformedReferencesAreProblemsWithoutQuotingDefaults) {
  for (std::string_view text : {"${}", "${1ABC}", "${A B}", "${A-x}", "x ${UNCLOSED"}) {
    Problems problems;
    Interpolate(text, FakeEnv(), &problems);
    ASSERT_EQ(problems.size(), 1u) << text;
    EXPECT_NE(problems[0].message.find("malformed environment reference"), std::string::npos);
  }
  Problems problems;
  Interpolate("${BAD NAME:-sk-secret-default}", FakeEnv(), &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message.find("sk-secret"), std::string::npos);
}

TEST(InterpolateEnvTest, TextWithoutReferencesIsUnchanged) {
  Problems problems;
  EXPECT_EQ(Interpolate("price $5 {not a ref} $", FakeEnv(), &problems), "price $5 {not a ref} $");
  EXPECT_TRUE(problems.empty());
}

TEST(TokenizeEnvReferencesTest, KeepsLineBreaksAndRecordsLines) {
  std::string yaml = "a: 1\nb: ${B}\n\nc: \"${C:-x} ${D}\"\n";
  TokenizedText tokenized = TokenizeEnvReferences(yaml);
  EXPECT_EQ(std::count(tokenized.text.begin(), tokenized.text.end(), '\n'), 4);
  EXPECT_EQ(tokenized.text.find("${"), std::string::npos);
  ASSERT_EQ(tokenized.references.size(), 3u);
  EXPECT_EQ(tokenized.references[0].name, "B");
  EXPECT_EQ(tokenized.references[0].line, 2);
  EXPECT_EQ(tokenized.references[1].fallback, "x");
  EXPECT_EQ(tokenized.references[2].line, 4);
}

TEST(ConfigInterpolationTest, WorksInsideFlowMaps) {
  // The CONTRACT.md example: a bare `${...}` inside `{ }` must not end the flow map.
  LoadResult result = Load("providers:\n  openai: { api_key: ${OPENAI_API_KEY} }\n",
                           FakeEnv({{"OPENAI_API_KEY", "sk-test"}}));
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->providers.at(0).api_key.reveal(), "sk-test");
}

TEST(ConfigInterpolationTest, UnsetVariableReportedAtItsLine) {
  LoadResult result = Load("listen: 127.0.0.1:8080\n\nadmin_key: ${ADMIN}\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.problems.size(), 1u) << Dump(result);
  EXPECT_EQ(result.problems[0].line, 3);
  EXPECT_EQ(result.problems[0].message, "environment variable ADMIN is not set");
}

TEST(ConfigInterpolationTest, UnresolvedValueIsNotReportedTwice) {
  LoadResult result = Load(
      "listen: ${HOST}:8080\n"
      "ledger: { backend: postgres, url: ${DB} }\n"
      "keys: [ { key: ${KEY}, name: a } ]\n"
      "providers: { local: { kind: openai, base_url: ${URL}, models: [ ${M} ] } }\n"
      "routes: { r: { targets: [ ${T} ] } }\n");
  EXPECT_EQ(result.problems.size(), 6u) << Dump(result);
  for (const ConfigProblem& problem : result.problems) {
    EXPECT_NE(problem.message.find("environment variable"), std::string::npos) << Dump(result);
  }
  EXPECT_TRUE(HasProblem(result, 1, "environment variable HOST is not set"));
  EXPECT_TRUE(HasProblem(result, 2, "environment variable DB is not set"));
  EXPECT_TRUE(HasProblem(result, 5, "environment variable T is not set"));
}

TEST(ConfigInterpolationTest, ReportsEveryUnsetVariable) {
  LoadResult result = Load("admin_key: ${A}\nproviders:\n  openai:\n    api_key: ${B}\n");
  EXPECT_TRUE(HasProblem(result, 1, "environment variable A is not set")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 4, "environment variable B is not set")) << Dump(result);
}

TEST(ConfigInterpolationTest, ReferencesInCommentsAreIgnored) {
  LoadResult result = Load("# set ${NOT_SET} first\nlog_level: warn  # ${ALSO_NOT_SET}\n");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->log_level, "warn");
}

TEST(ConfigInterpolationTest, TypedValuesAndPartsOfStrings) {
  LoadResult result = Load(
      "threads: ${THREADS:-4}\n"
      "listen: ${HOST:-0.0.0.0}:${PORT}\n"
      "providers:\n"
      "  openrouter:\n"
      "    headers: { Authorization: \"Bearer ${TOKEN}\" }\n",
      FakeEnv({{"PORT", "9090"}, {"TOKEN", "t0k"}}));
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->threads, 4);
  EXPECT_EQ(result.config->listen_host, "0.0.0.0");
  EXPECT_EQ(result.config->listen_port, 9090);
  EXPECT_EQ(result.config->providers.at(0).headers.at("Authorization"), "Bearer t0k");
}

TEST(ConfigInterpolationTest, WorksInListItems) {
  LoadResult result =
      Load("providers:\n  openai:\n    models:\n      - ${MODEL}\n      - \"x-${MODEL}\"\n",
           FakeEnv({{"MODEL", "gpt-4o"}}));
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->providers.at(0).models,
            (std::vector<std::string>{"gpt-4o", "x-gpt-4o"}));
}

}  // namespace
}  // namespace switchyard::config

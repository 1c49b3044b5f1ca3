#include "governance/model_allowlist.h"

#include <gtest/gtest.h>

namespace switchyard::governance {
namespace {

TEST(ModelAllowlistTest, Patterns) {
  EXPECT_TRUE(PatternMatches("*", "anything"));
  EXPECT_TRUE(PatternMatches("openai/*", "openai/gpt-4o-mini"));
  EXPECT_FALSE(PatternMatches("openai/*", "openai/"));
  EXPECT_FALSE(PatternMatches("openai/*", "openairouter/x"));
  EXPECT_FALSE(PatternMatches("openai/*", "anthropic/claude"));
  EXPECT_TRUE(PatternMatches("fast-cheap", "fast-cheap"));
  EXPECT_FALSE(PatternMatches("fast", "fast-cheap"));
}

TEST(ModelAllowlistTest, NoPatternsAllowEverything) {
  EXPECT_TRUE(ModelAllowed({}, "anything", {}));
}

TEST(ModelAllowlistTest, ARouteIsAllowedByNameOrByAllItsTargets) {
  const std::vector<std::string> openai_only = {"openai/*"};
  const std::vector<std::string> both = {"openai/gpt-4o-mini", "anthropic/claude"};
  const std::vector<std::string> one = {"openai/gpt-4o-mini"};
  EXPECT_FALSE(ModelAllowed(openai_only, "mixed", both));
  EXPECT_TRUE(ModelAllowed(openai_only, "cheap", one));
  const std::vector<std::string> by_name = {"mixed"};
  EXPECT_TRUE(ModelAllowed(by_name, "mixed", both));
  EXPECT_FALSE(ModelAllowed(by_name, "other", {}));
}

}  // namespace
}  // namespace switchyard::governance

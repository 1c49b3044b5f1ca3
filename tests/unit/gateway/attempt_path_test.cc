// DecideAttemptPath: the one decision of how an attempt serves a call at a target, for every
// operation, client format and target format; and CallRequest, which asks it and holds the
// canonical request behind an accessor that cannot crash (issue 11, defect 1).
#include "gateway/attempt_path.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "gateway/call_request.h"

namespace switchyard::gateway {
namespace {

using providers::Operation;

constexpr wire::Format kFormats[] = {wire::Format::kOpenAI, wire::Format::kAnthropic,
                                   wire::Format::kGemini};

TEST(AttemptPathTest, ChatPassesThroughToItsOwnFormatAndTranslatesToEveryOther) {
  for (wire::Format inbound : kFormats) {
    for (wire::Format target : kFormats) {
      EXPECT_EQ(DecideAttemptPath(Operation::kChatCompletions, inbound, target),
                inbound == target ? AttemptPath::kPassthrough : AttemptPath::kTranslated)
          << ToString(inbound) << " -> " << ToString(target);
    }
  }
}

TEST(AttemptPathTest, CountTokensIsForwardedOnlyToAnthropicAndEstimatedEverywhereElse) {
  EXPECT_EQ(DecideAttemptPath(Operation::kCountTokens, wire::Format::kAnthropic,
                              wire::Format::kAnthropic),
            AttemptPath::kPassthrough);
  EXPECT_EQ(DecideAttemptPath(Operation::kCountTokens, wire::Format::kAnthropic, wire::Format::kOpenAI),
            AttemptPath::kTokenEstimate);
  EXPECT_EQ(DecideAttemptPath(Operation::kCountTokens, wire::Format::kAnthropic, wire::Format::kGemini),
            AttemptPath::kTokenEstimate);
  // Never translated: a count_tokens call is not a chat call, whatever the formats.
  for (wire::Format inbound : kFormats) {
    for (wire::Format target : kFormats) {
      EXPECT_NE(DecideAttemptPath(Operation::kCountTokens, inbound, target),
                AttemptPath::kTranslated)
          << ToString(inbound) << " -> " << ToString(target);
    }
  }
  // An OpenAI-format target of an OpenAI client has no count_tokens either.
  EXPECT_EQ(DecideAttemptPath(Operation::kCountTokens, wire::Format::kOpenAI, wire::Format::kOpenAI),
            AttemptPath::kTokenEstimate);
}

TEST(AttemptPathTest, EmbeddingsPassThroughOrAreRefused) {
  for (wire::Format inbound : kFormats) {
    for (wire::Format target : kFormats) {
      EXPECT_EQ(DecideAttemptPath(Operation::kEmbeddings, inbound, target),
                inbound == target ? AttemptPath::kPassthrough : AttemptPath::kRefused)
          << ToString(inbound) << " -> " << ToString(target);
    }
  }
}

TEST(AttemptPathTest, CallRequestAsksTheSameDecisionForItsOperationAndFormat) {
  CallRequest request;
  request.inbound_format = wire::Format::kAnthropic;
  request.passthrough.operation = Operation::kCountTokens;
  EXPECT_EQ(request.PathTo(wire::Format::kOpenAI), AttemptPath::kTokenEstimate);
  EXPECT_EQ(request.PathTo(wire::Format::kAnthropic), AttemptPath::kPassthrough);
  request.passthrough.operation = Operation::kChatCompletions;
  EXPECT_EQ(request.PathTo(wire::Format::kOpenAI), AttemptPath::kTranslated);
}

TEST(AttemptPathTest, AnUndecodedCanonicalRequestIsAnErrorNotACrash) {
  CallRequest request;
  auto missing = request.Canonical();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kInternal);
  EXPECT_FALSE(request.has_canonical());

  canonical::ChatRequest chat;
  chat.model = "m";
  request.set_canonical(chat);
  auto present = request.Canonical();
  ASSERT_TRUE(present.ok());
  EXPECT_EQ((*present)->model, "m");
}

// Plans whose targets speak several wire formats, nested routes included.
class PlanPathsTest : public ::testing::Test {
 protected:
  PlanPathsTest() {
    for (wire::Format format : kFormats) {
      config::ProviderConfig& config = configs_.emplace_back();
      config.name = std::string(ToString(format)) + "-host";
      runtimes_.push_back({&config, {}, providers::AdapterFor(format)});
    }
  }

  routing::PlanStep Step(wire::Format format) {
    routing::PlanStep step;
    step.target.provider = &runtimes_.at(static_cast<std::size_t>(format));
    step.target.model = "m";
    return step;
  }

  routing::Plan Mixed(std::vector<wire::Format> formats, std::optional<wire::Format> nested = {}) {
    routing::Plan plan;
    plan.strategy = "fallback";
    for (wire::Format format : formats) plan.steps.push_back(Step(format));
    if (nested) {
      routing::Plan inner;
      inner.strategy = "single";
      inner.steps.push_back(Step(*nested));
      routing::PlanStep step;
      step.route = std::make_shared<const routing::Plan>(std::move(inner));
      plan.steps.push_back(std::move(step));
    }
    return plan;
  }

  std::deque<config::ProviderConfig> configs_;
  std::deque<routing::ProviderRuntime> runtimes_;
};

TEST_F(PlanPathsTest, CountTokensOnAMixedPlanNeverTranslates) {
  const routing::Plan plan =
      Mixed({wire::Format::kAnthropic, wire::Format::kOpenAI}, wire::Format::kGemini);
  auto paths = PathsOfPlan(plan, Operation::kCountTokens, wire::Format::kAnthropic, "route");
  ASSERT_TRUE(paths.ok());
  EXPECT_FALSE(paths->translates);  // the OpenAI and Gemini steps are estimated locally
}

TEST_F(PlanPathsTest, ChatOnAMixedPlanTranslatesOnceForAnyOtherFormat) {
  auto same = PathsOfPlan(Mixed({wire::Format::kOpenAI, wire::Format::kOpenAI}),
                          Operation::kChatCompletions, wire::Format::kOpenAI, "r");
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->translates);
  auto nested = PathsOfPlan(Mixed({wire::Format::kOpenAI}, wire::Format::kAnthropic),
                            Operation::kChatCompletions, wire::Format::kOpenAI, "r");
  ASSERT_TRUE(nested.ok());
  EXPECT_TRUE(nested->translates);  // found inside the nested route
}

TEST_F(PlanPathsTest, EmbeddingsWithATargetOfAnotherFormatAreTheClientsError) {
  auto refused = PathsOfPlan(Mixed({wire::Format::kOpenAI}, wire::Format::kGemini),
                             Operation::kEmbeddings, wire::Format::kOpenAI, "embed-route");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(refused.error().message,
            "model 'embed-route' is served by provider 'gemini-host' in the gemini wire format, "
            "which has no embeddings here");
  auto served = PathsOfPlan(Mixed({wire::Format::kOpenAI, wire::Format::kOpenAI}),
                            Operation::kEmbeddings, wire::Format::kOpenAI, "embed-route");
  EXPECT_TRUE(served.ok());
}

}  // namespace
}  // namespace switchyard::gateway

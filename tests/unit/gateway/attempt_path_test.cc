// DecideAttemptPath: the one decision of how an attempt serves a call at a target, for every
// operation, client format and target format; and CallRequest, which asks it and holds the
// canonical request behind an accessor that cannot crash (issue 11, defect 1).
#include "gateway/attempt_path.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace switchyard::gateway

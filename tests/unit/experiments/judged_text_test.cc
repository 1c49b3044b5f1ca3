// What the judge reads of a call (experiments/judging/judged_text.h).
#include "experiments/judging/judged_text.h"

#include <gtest/gtest.h>

namespace switchyard::experiments {
namespace {

canonical::Message Text(canonical::Role role, std::string text) {
  canonical::Message message;
  message.role = role;
  canonical::ContentPart part;
  part.text = std::move(text);
  message.content.push_back(std::move(part));
  return message;
}

TEST(JudgedTextTest, TheRequestAsATranscriptWithItsTools) {
  canonical::ChatRequest request;
  request.messages.push_back(Text(canonical::Role::kSystem, "Be brief."));
  request.messages.push_back(Text(canonical::Role::kUser, "Weather in Paris?"));
  canonical::ContentPart image;
  image.kind = canonical::ContentPart::Kind::kImageUrl;
  image.url = "https://example.com/a.png";
  request.messages.back().content.push_back(image);  // not shown to the judge
  canonical::ToolDefinition tool;
  tool.name = "get_weather";
  request.tools.push_back(tool);
  EXPECT_EQ(RequestTranscript(request, 1000),
            "(tools offered: get_weather)\nsystem: Be brief.\nuser: Weather in Paris?\n");
}

TEST(JudgedTextTest, ALongRequestKeepsItsLastTurns) {
  canonical::ChatRequest request;
  request.messages.push_back(Text(canonical::Role::kUser, std::string(100, 'x')));
  request.messages.push_back(Text(canonical::Role::kUser, "the question é"));
  const std::string text = RequestTranscript(request, 30);
  EXPECT_LE(text.size(), 30u);
  EXPECT_EQ(text.rfind("[…]", 0), 0u) << text;
  EXPECT_NE(text.find("the question é\n"), std::string::npos) << text;
}

TEST(JudgedTextTest, AToolCallAnswerIsJudgedOnItsCalls) {
  canonical::ChatResponse answer;
  answer.message = Text(canonical::Role::kAssistant, "Let me check.");
  answer.message.tool_calls.push_back({"call_1", "get_weather", R"({"city":"Paris"})"});
  EXPECT_EQ(AnswerTranscript(answer, 1000),
            "Let me check.\n[tool call] get_weather({\"city\":\"Paris\"})");
  const std::string cut = AnswerTranscript(answer, 10);
  EXPECT_LE(cut.size(), 10u);
  EXPECT_NE(cut.find("[…]"), std::string::npos);
}

TEST(JudgedTextTest, TheVerdictsReason) {
  EXPECT_EQ(VerdictReason(R"(```json {"winner":"1","reason":"more precise"} ```)", 100),
            "more precise");
  EXPECT_EQ(VerdictReason(R"({"winner":"1"})", 100), "");
  EXPECT_EQ(VerdictReason("not json", 100), "");
  EXPECT_EQ(VerdictReason(R"({"reason": 3})", 100), "");
}

}  // namespace
}  // namespace switchyard::experiments

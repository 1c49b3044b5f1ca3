// Score judging: the rubric in the prompt, the answer fenced, and only integer scores 1–10 read.
#include "experiments/judging/score_judgement.h"

#include <gtest/gtest.h>

namespace switchyard::experiments {
namespace {

TEST(ScoreJudgementTest, TheQuestionCarriesTheRubricAndTheFencedAnswer) {
  const canonical::ChatRequest question =
      ScoreQuestion(kDefaultScorePrompt, "Short answers are best.", "Hi?", "Hello </answer>");
  EXPECT_NE(question.messages[0].content[0].text.find("Short answers are best. Score"),
            std::string::npos);
  EXPECT_NE(question.messages[1].content[0].text.find("<answer>\nHello <\\/answer>\n</answer>"),
            std::string::npos);
}

TEST(ScoreJudgementTest, OnlyIntegerScoresFromOneToTen) {
  EXPECT_EQ(*ParseScoreVerdict(R"({"score": 7, "reason": "fine"})"), 7);
  EXPECT_EQ(*ParseScoreVerdict("```json\n{\"score\":10}\n```"), 10);
  for (const char* bad : {R"({"score":0})", R"({"score":11})", R"({"score":7.5})",
                          R"({"score":"7"})", "seven", ""}) {
    EXPECT_FALSE(ParseScoreVerdict(bad)) << bad;
  }
}

}  // namespace
}  // namespace switchyard::experiments

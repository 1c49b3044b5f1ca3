#include "wire/format.h"

#include <gtest/gtest.h>

namespace switchyard::wire {
namespace {

constexpr Format kFormats[] = {Format::kOpenAI, Format::kAnthropic, Format::kGemini};

// config's provider `kind` is parsed with ParseFormat and reported with ToString: each must undo
// the other, for every format.
TEST(WireFormatTest, ParseUndoesToString) {
  for (Format format : kFormats) EXPECT_EQ(ParseFormat(ToString(format)), format);
  EXPECT_EQ(ToString(Format::kOpenAI), "openai");
  EXPECT_EQ(ToString(Format::kAnthropic), "anthropic");
  EXPECT_EQ(ToString(Format::kGemini), "gemini");
}

TEST(WireFormatTest, ParseRefusesWhatIsNoFormat) {
  EXPECT_EQ(ParseFormat(""), std::nullopt);
  EXPECT_EQ(ParseFormat("OpenAI"), std::nullopt);  // names are lower-case, as config writes them
  EXPECT_EQ(ParseFormat("openai_compat"), std::nullopt);
  EXPECT_EQ(ParseFormat("none"), std::nullopt);
}

}  // namespace
}  // namespace switchyard::wire

// The simulated models' delays are what the demo routes rely on (README quick start): demo-fast
// wins demo-race against demo-smart, demo-json is slower than demo-fast (so demo-race-json shows a
// slower answer winning on its checks), and demo-tail answers inside demo-hedge's 100 ms except for
// its slow tail, where the hedge to demo-fast answers first. Checked over the first thousand
// answers of each model's fixed seed.
#include "demo/simulated_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace switchyard::demo {
namespace {

constexpr std::uint64_t kAnswers = 1000;
constexpr std::int64_t kDemoHedgeDelayMs = kDemoHedgeDelay.count();

struct Range {
  std::int64_t low = INT64_MAX;
  std::int64_t high = 0;
};

// The first-byte delays of `name`'s first answers: all of them, or only those in or out of the
// slow tail.
Range DelaysOf(std::string_view name, std::optional<bool> slow = std::nullopt) {
  const std::size_t index = FindSimulatedModel(name);
  EXPECT_LT(index, SimulatedModels().size()) << name;
  const SimulatedModel& model = SimulatedModels()[index];
  Range range;
  for (std::uint64_t i = 0; i < kAnswers; ++i) {
    if (slow && InSlowTail(model.first_byte, model.seed, i) != *slow) continue;
    const std::int64_t delay = FirstByteDelay(model.first_byte, model.seed, i).count();
    range.low = std::min(range.low, delay);
    range.high = std::max(range.high, delay);
  }
  return range;
}

TEST(SimulatedModelsTest, DemoFastAlwaysAnswersBeforeDemoSmartAndDemoJson) {
  EXPECT_LT(DelaysOf("demo-fast").high, DelaysOf("demo-smart").low);
  EXPECT_LT(DelaysOf("demo-fast").high, DelaysOf("demo-json").low);
}

TEST(SimulatedModelsTest, DemoTailIsQuickerThanTheHedgeDelayExceptItsSlowTail) {
  EXPECT_LT(DelaysOf("demo-tail", false).high, kDemoHedgeDelayMs);
  // A slow answer is overtaken by the hedge: demo-fast, started at the hedge delay, answers first.
  EXPECT_GT(DelaysOf("demo-tail", true).low, kDemoHedgeDelayMs + DelaysOf("demo-fast").high);
}

TEST(SimulatedModelsTest, EveryModelHasAPriceAndIsFoundByName) {
  for (std::size_t i = 0; i < SimulatedModels().size(); ++i) {
    const SimulatedModel& model = SimulatedModels()[i];
    EXPECT_GT(model.input_price, 0) << model.name;
    EXPECT_GT(model.output_price, 0) << model.name;
    EXPECT_EQ(FindSimulatedModel(model.name), i);
  }
  EXPECT_EQ(FindSimulatedModel("demo-nonesuch"), SimulatedModels().size());
}

TEST(SimulatedModelsTest, OnlyDemoJsonAnswersWithJson) {
  for (const SimulatedModel& model : SimulatedModels()) {
    EXPECT_EQ(model.reply == ReplyShape::kJsonObject, model.name == "demo-json") << model.name;
  }
}

}  // namespace
}  // namespace switchyard::demo

#include "demo/simulated_models.h"

#include <array>

namespace switchyard::demo {
namespace {

using std::chrono::milliseconds;

// US cents per million tokens → nano-dollars per million tokens.
constexpr std::int64_t CentsPerMillion(std::int64_t cents) { return cents * 10'000'000; }

// The delays are far enough apart that a race and a hedge end the same way on a busy machine:
// demo-fast (20-40 ms) beats demo-smart (120-180 ms) and demo-json (50-70 ms); demo-tail answers
// in 30-50 ms, well inside demo-hedge's 100 ms, except one answer in ten, which takes 0.6-1 s.
// demo-down fails quickly, so that demo-fallback moves on to demo-fast.
constexpr std::array kModels = {
    SimulatedModel{"demo-fast", {milliseconds(30), milliseconds(10)}, 0x5eed0001,
                   milliseconds(5), ReplyShape::kText, CentsPerMillion(10), CentsPerMillion(40)},
    SimulatedModel{"demo-smart", {milliseconds(150), milliseconds(30)}, 0x5eed0002,
                   milliseconds(25), ReplyShape::kText, CentsPerMillion(300),
                   CentsPerMillion(1500)},
    SimulatedModel{"demo-tail", {milliseconds(40), milliseconds(10), 10, 20}, 0x5eed0003,
                   milliseconds(5), ReplyShape::kText, CentsPerMillion(15), CentsPerMillion(60)},
    SimulatedModel{"demo-json", {milliseconds(60), milliseconds(10)}, 0x5eed0004,
                   milliseconds(5), ReplyShape::kJsonObject, CentsPerMillion(20),
                   CentsPerMillion(80)},
    SimulatedModel{"demo-down", {milliseconds(10), milliseconds(5)}, 0x5eed0005,
                   milliseconds(5), ReplyShape::kOutage, CentsPerMillion(10), CentsPerMillion(40)},
};

}  // namespace

std::span<const SimulatedModel> SimulatedModels() { return kModels; }

std::size_t FindSimulatedModel(std::string_view name) {
  for (std::size_t i = 0; i < kModels.size(); ++i) {
    if (kModels[i].name == name) return i;
  }
  return kModels.size();
}

}  // namespace switchyard::demo

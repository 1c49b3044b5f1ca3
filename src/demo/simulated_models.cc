#include "demo/simulated_models.h"

#include <array>

#include "core/fnv1a.h"

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
    SimulatedModel{"demo-judge", {milliseconds(20), milliseconds(5)}, 0x5eed0006,
                   milliseconds(5), ReplyShape::kJudge, CentsPerMillion(50), CentsPerMillion(200)},
};

// The text between `open` and the next `close` after `from`; empty when absent.
std::string_view Between(std::string_view text, std::string_view open, std::string_view close,
                         std::size_t from = 0) {
  const std::size_t start = text.find(open, from);
  if (start == std::string_view::npos) return {};
  const std::size_t begin = start + open.size();
  const std::size_t end = text.find(close, begin);
  return end == std::string_view::npos ? text.substr(begin) : text.substr(begin, end - begin);
}

}  // namespace

std::span<const SimulatedModel> SimulatedModels() { return kModels; }

std::string JudgeVerdict(std::string_view question) {
  const std::size_t second = question.find("Answer 2:");
  if (second == std::string_view::npos) {
    const bool smart = question.find("This is demo-smart") != std::string_view::npos;
    return smart ? R"({"score": 8, "reason": "[simulated] thorough"})"
                 : R"({"score": 7, "reason": "[simulated] good enough"})";
  }
  const std::string_view request = Between(question, "<request>", "</request>");
  const std::string_view first = Between(question, "<answer>", "</answer>");
  const bool first_is_smart = first.find("This is demo-smart") != std::string_view::npos;
  const std::uint64_t draw = Fnv1a64(request) % 10;
  if (draw >= 8) return R"({"winner": "tie", "reason": "[simulated] as good as each other"})";
  const bool prefer_smart = draw < 4;
  const bool winner_first = prefer_smart == first_is_smart;
  return winner_first ? R"({"winner": "1", "reason": "[simulated] more helpful"})"
                      : R"({"winner": "2", "reason": "[simulated] more helpful"})";
}

std::size_t FindSimulatedModel(std::string_view name) {
  for (std::size_t i = 0; i < kModels.size(); ++i) {
    if (kModels[i].name == name) return i;
  }
  return kModels.size();
}

}  // namespace switchyard::demo

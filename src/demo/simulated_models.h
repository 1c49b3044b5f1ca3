// The models `serve --demo` simulates: how fast each answers (a seeded first-byte delay and a
// stream's pacing), what its answer looks like, and its simulated list price, so that racing and
// hedging show a winner, a cancelled loser and what racing cost. serve_command.cc turns the prices
// into config prices and builds the demo routes over these models.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "demo/first_byte_delay.h"

namespace switchyard::demo {

enum class ReplyShape {
  kText,        // "[simulated] This is MODEL answering ..."
  kJsonObject,  // {"answer": "[simulated] ...", "model": "MODEL"}: passes a route's `accept: json`
  kOutage,      // always a 503 error: a provider that is down, for the fallback route
  kJudge,       // an experiment's judge: a JSON verdict on the answers it is shown (JudgeVerdict)
};

struct SimulatedModel {
  std::string_view name;
  DelayProfile first_byte;
  std::uint64_t seed;                   // of its first-byte delays; fixed, so every run is alike
  std::chrono::milliseconds per_chunk;  // a stream's pause between words
  ReplyShape reply;
  // Simulated list prices, in nano-dollars per million tokens (as config prices are held).
  std::int64_t input_price;
  std::int64_t output_price;
};

// demo-hedge's delay (serve_command.cc): demo-tail's quick answers come before it, its slow ones
// well after it (simulated_models_test.cc checks both).
inline constexpr std::chrono::milliseconds kDemoHedgeDelay{100};

// demo-fast, demo-smart, demo-tail, demo-json, demo-down, demo-judge.
std::span<const SimulatedModel> SimulatedModels();
// Its position in SimulatedModels(), or SimulatedModels().size() when there is none of that name.
std::size_t FindSimulatedModel(std::string_view name);

// demo-judge's answer to a judge's question (the gateway's prompts, experiments/judging/): a
// pairwise question ("Answer 1:" ... "Answer 2:") gets {"winner": "1"|"2"|"tie"}, decided by a
// hash of the request it quotes — 40% the demo-smart answer, 40% the other, 20% a tie — so that
// both orders agree and demo-ab's verdict settles on "not worse" as traffic comes in; any other
// question gets {"score": 8} for a demo-smart answer, else 7.
std::string JudgeVerdict(std::string_view question);

}  // namespace switchyard::demo

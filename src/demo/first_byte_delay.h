// FirstByteDelay: how long a simulated model takes before its first byte, drawn from a fixed seed
// so that `serve --demo` behaves the same on every run (races are won by the same model; the same
// answers of the slow-tailed model are slow). The draw is a pure function of the model's profile,
// its seed and the answer's index (0, 1, 2, ... per model), so that tests can check it without a
// clock; DelaySchedule hands out the indices.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace switchyard::demo {

// A model's first-byte delay: uniform in [typical - jitter, typical + jitter], and, when tail_every
// is set, exactly one answer in each block of `tail_every` (the block's i-th answer for a seeded i)
// is `tail_factor` times slower: a heavy latency tail that keeps its share however few calls a
// user makes ("10% of answers 20x slower": tail_every 10, tail_factor 20).
struct DelayProfile {
  std::chrono::milliseconds typical{0};
  std::chrono::milliseconds jitter{0};  // at most `typical`
  int tail_every = 0;                   // 0: no slow answers
  int tail_factor = 1;
};

std::chrono::milliseconds FirstByteDelay(const DelayProfile& profile, std::uint64_t seed,
                                         std::uint64_t index);

// Whether the answer of `index` is one of the slow tail (what FirstByteDelay multiplies).
bool InSlowTail(const DelayProfile& profile, std::uint64_t seed, std::uint64_t index);

// The next delay of each of `models` models: answer indices counted per model, from 0.
class DelaySchedule {
 public:
  explicit DelaySchedule(std::size_t models);
  // The index of `model`'s next answer (and counts it).
  std::uint64_t NextIndex(std::size_t model);

 private:
  std::size_t models_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> next_;
};

}  // namespace switchyard::demo

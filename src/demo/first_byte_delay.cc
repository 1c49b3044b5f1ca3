#include "demo/first_byte_delay.h"

#include <algorithm>

namespace switchyard::demo {
namespace {

// SplitMix64's finaliser: a well-mixed 64-bit value for each input, the same on every platform
// (std::uniform_int_distribution is not: its output differs between standard libraries).
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Separate streams for the jitter and the tail, so that which answer is slow does not depend on
// how jittery the model is.
constexpr std::uint64_t kJitterStream = 1;
constexpr std::uint64_t kTailStream = 2;

std::uint64_t Draw(std::uint64_t seed, std::uint64_t stream, std::uint64_t n) {
  return Mix(Mix(seed ^ Mix(stream)) ^ n);
}

}  // namespace

bool InSlowTail(const DelayProfile& profile, std::uint64_t seed, std::uint64_t index) {
  if (profile.tail_every <= 0) return false;
  const auto every = static_cast<std::uint64_t>(profile.tail_every);
  const std::uint64_t slow_position = Draw(seed, kTailStream, index / every) % every;
  return index % every == slow_position;
}

std::chrono::milliseconds FirstByteDelay(const DelayProfile& profile, std::uint64_t seed,
                                         std::uint64_t index) {
  const std::int64_t jitter = std::max<std::int64_t>(
      0, std::min(profile.jitter.count(), profile.typical.count()));
  const auto span = static_cast<std::uint64_t>(2 * jitter + 1);
  const std::int64_t offset = static_cast<std::int64_t>(Draw(seed, kJitterStream, index) % span);
  std::int64_t delay = profile.typical.count() - jitter + offset;
  if (InSlowTail(profile, seed, index)) delay *= std::max(profile.tail_factor, 1);
  return std::chrono::milliseconds(delay);
}

DelaySchedule::DelaySchedule(std::size_t models)
    : models_(models), next_(std::make_unique<std::atomic<std::uint64_t>[]>(models)) {}

std::uint64_t DelaySchedule::NextIndex(std::size_t model) {
  if (model >= models_) return 0;
  return next_[model].fetch_add(1, std::memory_order_relaxed);
}

}  // namespace switchyard::demo

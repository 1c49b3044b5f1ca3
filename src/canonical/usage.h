// Usage: the tokens one attempt consumed, in disjoint classes as providers bill them (CONTRACT.md,
// "Token classes"): input excludes cache reads and writes, output includes reasoning. Adapters
// convert each provider's own counting into this once; nothing downstream re-derives it.
#pragma once

#include <cstdint>

namespace switchyard::canonical {

// More tokens than one call can use (the largest context windows are a few million tokens): a
// count above it is implausible. The readers clamp every count into [0, kMaxPlausibleTokens], so
// that no provider value can overflow a price or a sum.
inline constexpr std::int64_t kMaxPlausibleTokens = std::int64_t{1} << 31;

struct Usage {
  std::int64_t input_tokens = 0;           // uncached prompt tokens
  std::int64_t cached_input_tokens = 0;    // cache reads
  std::int64_t cache_write_tokens = 0;     // 5-minute cache writes
  std::int64_t cache_write_1h_tokens = 0;  // 1-hour cache writes
  std::int64_t output_tokens = 0;          // every billed output token, reasoning included
  std::int64_t reasoning_tokens = 0;       // the reasoning part of output_tokens
  bool reported = false;                   // false when the provider sent no usage at all
  // Why the reported counts cannot be right (a negative, fractional or absurdly large count,
  // cached tokens above the prompt, reasoning above the output); nullptr when they can. A static
  // string. The counts are then not billed as reported: the attempt books an estimate, marked so.
  const char* implausible = nullptr;

  std::int64_t prompt_total() const {
    return input_tokens + cached_input_tokens + cache_write_tokens + cache_write_1h_tokens;
  }
};

}  // namespace switchyard::canonical

// IdGenerator: new trace and span ids from a generator the caller owns and seeds, so that tests
// get fixed ids and the gateway one generator per worker (no lock, no shared state).
#pragma once

#include <cstdint>
#include <random>

#include "telemetry/otlp/span.h"

namespace switchyard::telemetry::otlp {

class IdGenerator {
 public:
  // `rng` must outlive the generator.
  explicit IdGenerator(std::mt19937_64& rng) : rng_(rng) {}

  TraceId NewTraceId() {
    TraceId id{};
    do {
      Fill(id.data(), 0, 8);
      Fill(id.data(), 8, 8);
    } while (IsZeroId(id));  // all-zero is invalid; so unlikely the loop only guards correctness
    return id;
  }

  SpanId NewSpanId() {
    SpanId id{};
    do {
      Fill(id.data(), 0, 8);
    } while (IsZeroId(id));
    return id;
  }

 private:
  void Fill(std::uint8_t* out, std::size_t offset, std::size_t count) {
    std::uint64_t bits = rng_();
    for (std::size_t i = 0; i < count; ++i) {
      out[offset + i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
  }

  std::mt19937_64& rng_;
};

}  // namespace switchyard::telemetry::otlp

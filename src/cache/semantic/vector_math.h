// The arithmetic of semantic vectors: making one unit length, and the dot product that is the
// cosine similarity of two unit vectors. Pure functions; no state, safe from any thread.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace switchyard::cache::semantic {

// The longest vector the index takes. Real embedding models give 256 to 4,096 dimensions; a vector
// from a provider is outside input, so one far longer is refused rather than stored.
inline constexpr std::size_t kMaxDimensions = 16384;

// Writes `in` scaled to unit length into `out` (resized to in.size()). False, with `out`
// unspecified, when `in` is empty, longer than kMaxDimensions, has a NaN or infinite component, or
// has no length to scale (all zero, or so small that scaling overflows).
bool Normalise(std::span<const float> in, std::vector<float>& out);

// The dot product of two vectors of `n` floats.
float Dot(const float* a, const float* b, std::size_t n);

}  // namespace switchyard::cache::semantic

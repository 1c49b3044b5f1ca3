#include "cache/semantic/vector_math.h"

#include <cmath>

namespace switchyard::cache::semantic {

bool Normalise(std::span<const float> in, std::vector<float>& out) {
  if (in.empty() || in.size() > kMaxDimensions) return false;
  // In double: a float's square cannot overflow, and the sum of 16,384 of them stays exact enough.
  double squares = 0;
  for (const float value : in) {
    if (!std::isfinite(value)) return false;
    squares += static_cast<double>(value) * static_cast<double>(value);
  }
  const double norm = std::sqrt(squares);
  if (!(norm > 0) || !std::isfinite(norm)) return false;
  out.resize(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const float scaled = static_cast<float>(static_cast<double>(in[i]) / norm);
    if (!std::isfinite(scaled)) return false;
    out[i] = scaled;
  }
  return true;
}

float Dot(const float* a, const float* b, std::size_t n) {
  // Eight independent sums: without -ffast-math the compiler may not reorder one running sum, and
  // eight let it use vector registers (and hide the add latency) all the same.
  float sums[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t j = 0; j < 8; ++j) sums[j] += a[i + j] * b[i + j];
  }
  float total =
      ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}

}  // namespace switchyard::cache::semantic

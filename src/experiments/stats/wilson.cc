#include "experiments/stats/wilson.h"

#include <algorithm>
#include <cmath>

namespace switchyard::experiments {

Interval WilsonInterval(double successes, double trials, double z) {
  if (!(trials > 0)) return {0.0, 1.0};
  const double p = std::clamp(successes, 0.0, trials) / trials;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const double half =
      z / (1 + z2 / trials) * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  // Clamped because rounding can push an end a hair outside [0, 1] at p = 0 or 1.
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace switchyard::experiments

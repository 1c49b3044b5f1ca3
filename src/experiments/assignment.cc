#include "experiments/assignment.h"

#include <numeric>
#include <string>

#include "core/fnv1a.h"

namespace switchyard::experiments {
namespace {

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

double UnitHash(std::string_view salt, std::string_view value) {
  // A separator byte that neither part can forge: "ab" + "c" and "a" + "bc" hash apart.
  std::uint64_t hash = Fnv1a64(salt);
  hash = Fnv1a64(value, hash ^ 0xff);
  // The top 53 bits as a double in [0, 1).
  return static_cast<double>(SplitMix64(hash) >> 11) * 0x1.0p-53;
}

std::optional<std::size_t> AssignVariant(std::span<const double> shares, std::string_view epoch,
                                         std::string_view sticky_value) {
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  if (!(total > 0)) return std::nullopt;
  const double point = UnitHash(epoch, sticky_value) * total;
  double cumulative = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cumulative += shares[i];
    if (point < cumulative && shares[i] > 0) return i;
  }
  // Rounding at the top end: the last variant with a share.
  for (std::size_t i = shares.size(); i-- > 0;) {
    if (shares[i] > 0) return i;
  }
  return std::nullopt;
}

bool InSample(double rate, std::string_view epoch, std::string_view request_id) {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return UnitHash(std::string(epoch) + "#sample", request_id) < rate;
}

}  // namespace switchyard::experiments

// SeriesKey: the label ids of one series (route, provider, model, status class, ...) packed into
// one word, so a shard finds its cells with one hash and integer compares, no string on the path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "telemetry/metrics/label_cap.h"

namespace switchyard::telemetry::metrics {

using SeriesKey = std::uint64_t;

inline constexpr std::size_t kMaxKeyLabels = 4;
inline constexpr std::size_t kKeyLabelBits = 16;
// Every id 0xFFFF, which LabelCap never hands out (kMaxIds): marks an empty slot.
inline constexpr SeriesKey kEmptyKey = ~SeriesKey{0};
// Every label "other": where a shard puts what does not fit its series bound.
inline constexpr SeriesKey kOverflowKey = 0;

template <std::size_t N>
requires(N <= kMaxKeyLabels) constexpr SeriesKey PackKey(const std::array<LabelId, N>& ids) {
  SeriesKey key = 0;
  for (std::size_t i = 0; i < N; ++i) key |= SeriesKey{ids[i]} << (i * kKeyLabelBits);
  return key;
}

// The id at `position` of a key built by PackKey.
constexpr LabelId KeyLabel(SeriesKey key, std::size_t position) {
  return static_cast<LabelId>(key >> (position * kKeyLabelBits));
}

}  // namespace switchyard::telemetry::metrics

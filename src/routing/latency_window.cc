#include "routing/latency_window.h"

#include <algorithm>
#include <cmath>

namespace switchyard::routing {
namespace {

constexpr double kGamma = (1 + LatencyWindow::kRelativeError) / (1 - LatencyWindow::kRelativeError);
const double kLogGamma = std::log(kGamma);

}  // namespace

LatencyWindow::LatencyWindow(std::chrono::steady_clock::duration slice)
    : slice_(std::max<std::chrono::steady_clock::duration>(slice, std::chrono::milliseconds(1))) {}

std::size_t LatencyWindow::BucketOf(double ms) {
  if (!(ms > 1.0)) return 0;  // NaN too
  const double index = std::ceil(std::log(ms) / kLogGamma);
  return static_cast<std::size_t>(std::min<double>(index, kBuckets - 1));
}

double LatencyWindow::BucketValue(std::size_t bucket) {
  if (bucket == 0) return 1.0;
  return 2 * std::pow(kGamma, static_cast<double>(bucket)) / (kGamma + 1);
}

std::int64_t LatencyWindow::SliceNumber(std::chrono::steady_clock::time_point now) const {
  // A steady clock starts at boot, or anywhere: a time before its epoch counts as slice 0.
  return std::max<std::int64_t>(0, now.time_since_epoch().count() / slice_.count());
}

bool LatencyWindow::InWindow(const Slice& slice, std::int64_t current) const {
  return slice.number >= 0 && slice.number <= current &&
         slice.number > current - static_cast<std::int64_t>(kSlices);
}

void LatencyWindow::Add(double ms, std::chrono::steady_clock::time_point now) {
  ms = std::max(0.0, ms);
  const std::int64_t number = SliceNumber(now);
  Slice& slice = slices_[static_cast<std::size_t>(number) % kSlices];
  if (slice.number != number) {
    if (slice.number > number) return;  // older than the window the slot now holds
    slice = Slice{};
    slice.number = number;
    slice.min_ms = ms;
    slice.max_ms = ms;
  }
  ++slice.counts[BucketOf(ms)];
  ++slice.samples;
  slice.min_ms = std::min(slice.min_ms, ms);
  slice.max_ms = std::max(slice.max_ms, ms);
}

bool LatencyWindow::ValuesAtRanks(const double* quantiles, std::size_t n, std::int64_t current,
                                  double* out, std::int64_t* samples) const {
  std::int64_t total = 0;
  double min_ms = 0, max_ms = 0;
  std::array<std::uint64_t, kBuckets> counts{};
  for (const Slice& slice : slices_) {
    if (!InWindow(slice, current) || slice.samples == 0) continue;
    min_ms = total == 0 ? slice.min_ms : std::min(min_ms, slice.min_ms);
    max_ms = total == 0 ? slice.max_ms : std::max(max_ms, slice.max_ms);
    total += slice.samples;
    for (std::size_t b = 0; b < kBuckets; ++b) counts[b] += slice.counts[b];
  }
  if (total == 0) return false;
  *samples = total;
  std::size_t next = 0;  // the next quantile to place
  std::int64_t seen = 0;
  for (std::size_t b = 0; b < kBuckets && next < n; ++b) {
    seen += static_cast<std::int64_t>(counts[b]);
    while (next < n) {
      const double q = std::clamp(quantiles[next], 0.0, 1.0);
      const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(q * total)));
      if (rank > seen) break;
      const double value = b == kBuckets - 1 ? max_ms : BucketValue(b);
      out[next++] = std::clamp(value, min_ms, max_ms);
    }
  }
  return true;
}

std::optional<double> LatencyWindow::Quantile(double q, std::chrono::steady_clock::time_point now,
                                              std::int64_t min_samples) const {
  double value = 0;
  std::int64_t samples = 0;
  if (!ValuesAtRanks(&q, 1, SliceNumber(now), &value, &samples)) return std::nullopt;
  if (samples < min_samples) return std::nullopt;
  return value;
}

std::optional<LatencyQuantiles> LatencyWindow::Quantiles(
    std::chrono::steady_clock::time_point now) const {
  static constexpr double kQuantiles[] = {0.5, 0.9, 0.99};
  double values[3] = {};
  LatencyQuantiles out;
  if (!ValuesAtRanks(kQuantiles, 3, SliceNumber(now), values, &out.samples)) return std::nullopt;
  out.p50_ms = values[0];
  out.p90_ms = values[1];
  out.p99_ms = values[2];
  return out;
}

}  // namespace switchyard::routing

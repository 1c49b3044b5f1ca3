// LatencyWindow: the latencies of one target and metric over a sliding window, in bounded memory,
// for quantiles (p50/p90/p99: a hedge delay of `p90` means p90, not an average).
//
// A log-spaced fixed-bucket histogram (as DDSketch): bucket 0 holds latencies up to 1 ms, bucket
// i ≥ 1 those in (γ^(i-1), γ^i] ms with γ = (1 + α) / (1 - α), α = kRelativeError, and a bucket
// stands for 2γ^i / (γ + 1), which is within α of anything in it. So a quantile is within 5% of
// the true one (the sample of that rank) from 1 ms up to γ^(kBuckets-1) ≈ 12 minutes; at or below
// 1 ms it is at most 1 ms, above the top it is the window's largest sample, and every answer is
// kept within the window's smallest and largest sample (one sample: exactly it).
//
// The window is kSlices time slices of `slice` each, rotated as time passes: a sample goes into
// the slice of its time, a slot whose slice is over is cleared when reused, and a query counts the
// current slice and the kSlices - 1 before it — so the window spans between (kSlices - 1) and
// kSlices slices, and old samples leave a slice at a time.
//
// Memory: kSlices × (kBuckets × 4 + 32) bytes ≈ 2.3 KB, whatever the traffic. Not thread-safe
// (LatencyTracker holds its mutex); time is passed in.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

namespace switchyard::routing {

struct LatencyQuantiles {
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  std::int64_t samples = 0;  // in the window
};

class LatencyWindow {
 public:
  static constexpr std::size_t kSlices = 4;
  static constexpr std::size_t kBuckets = 136;
  static constexpr double kRelativeError = 0.05;

  explicit LatencyWindow(std::chrono::steady_clock::duration slice);

  // One sample of `ms` (negative counts as 0) taken at `now`. A time earlier than the current
  // slice's still counts in the slice it names if that is in the window, else it is dropped.
  void Add(double ms, std::chrono::steady_clock::time_point now);

  // The q-quantile (0 ≤ q ≤ 1, clamped; nearest rank) of the samples in the window at `now`;
  // nullopt when it holds fewer than `min_samples` (at least one).
  std::optional<double> Quantile(double q, std::chrono::steady_clock::time_point now,
                                 std::int64_t min_samples = 1) const;

  // p50, p90 and p99 in one pass; nullopt when the window holds no sample.
  std::optional<LatencyQuantiles> Quantiles(std::chrono::steady_clock::time_point now) const;

  // The bucket `ms` falls in, and the value a bucket stands for (exposed for tests).
  static std::size_t BucketOf(double ms);
  static double BucketValue(std::size_t bucket);

 private:
  struct Slice {
    std::int64_t number = -1;  // which slice of time this slot holds; -1: none yet
    std::uint32_t samples = 0;
    double min_ms = 0;
    double max_ms = 0;
    std::array<std::uint32_t, kBuckets> counts{};
  };

  std::int64_t SliceNumber(std::chrono::steady_clock::time_point now) const;
  bool InWindow(const Slice& slice, std::int64_t current) const;
  // The ranks' values (ascending ranks), written to `out`; false when the window is empty.
  bool ValuesAtRanks(const double* quantiles, std::size_t n, std::int64_t current, double* out,
                     std::int64_t* samples) const;

  std::chrono::steady_clock::duration slice_;
  std::array<Slice, kSlices> slices_{};
};

}  // namespace switchyard::routing

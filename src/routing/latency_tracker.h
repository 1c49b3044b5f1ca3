// LatencyTracker: live latency per target ("provider/model") from recent traffic, for the
// `fastest` strategy and for delays given as quantiles (a hedge after `p90`). For each target, of
// time to first token (streams) and of total latency, it keeps:
// - an exponentially weighted moving average, with its sample count and the time of its latest
//   sample, so that a strategy can tell a fresh estimate from a stale one (what `fastest` compares);
// - a sliding window of recent samples (routing/latency_window.h: the last 5 minutes by default, in
//   4 slices; a log-bucket histogram of ≈ 2.3 KB) giving p50/p90/p99 within 5%.
// Memory: at most max_targets entries (the least recently sampled is forgotten first), each at most
// ≈ 4.8 KB with both metrics (a metric's window exists once it has a sample): ≤ 20 MB at the
// default 4096 targets, a few hundred KB for a few dozen.
//
// The router records successful attempts only: a fast error is not a fast answer (the health
// registry deals with errors).
//
// Time is passed in by the caller (the steady clock's reading). Thread-safety: every method is safe
// from any thread; one mutex guards the map (one short lock per attempt and per routing decision).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "routing/latency_window.h"

namespace switchyard::routing {

enum class LatencyMetric { kTtft, kTotal };

struct LatencyOptions {
  double alpha = 0.3;              // weight of the newest sample in the average
  std::size_t max_targets = 4096;  // bound on tracked targets; the least recently sampled goes
  // The quantiles' window: samples older than this (give or take a quarter of it) no longer count.
  std::chrono::steady_clock::duration window = std::chrono::minutes(5);
};

struct LatencyEstimate {
  double average_ms = 0;  // the moving average
  std::int64_t samples = 0;
  std::chrono::steady_clock::time_point last_sample{};
};

class LatencyTracker {
 public:
  explicit LatencyTracker(LatencyOptions options = {});
  LatencyTracker(const LatencyTracker&) = delete;
  LatencyTracker& operator=(const LatencyTracker&) = delete;

  // Adds one sample of `metric` for `key`, taken at `now`. Negative latencies count as 0.
  void Record(std::string_view key, LatencyMetric metric, std::chrono::microseconds latency,
              std::chrono::steady_clock::time_point now);

  // The estimate of `metric` for `key`, or nullopt when it has no sample.
  std::optional<LatencyEstimate> Estimate(std::string_view key, LatencyMetric metric) const;

  // The q-quantile (0 ≤ q ≤ 1) of `metric` for `key` over the window ending at `now`, in ms, within
  // LatencyWindow::kRelativeError of the true one; nullopt when fewer than `min_samples` (at least
  // one) are in the window.
  std::optional<double> Quantile(std::string_view key, LatencyMetric metric, double q,
                                 std::chrono::steady_clock::time_point now,
                                 std::int64_t min_samples = 1) const;

  // p50, p90 and p99 at once (one lock, one pass); nullopt when no sample is in the window.
  std::optional<LatencyQuantiles> Quantiles(std::string_view key, LatencyMetric metric,
                                            std::chrono::steady_clock::time_point now) const;

 private:
  struct Series {
    LatencyEstimate average;
    LatencyWindow window;
  };
  struct Entry {
    std::unique_ptr<Series> ttft;
    std::unique_ptr<Series> total;
    std::chrono::steady_clock::time_point last_sample{};
  };

  // The series of `metric` for `key`, or nullptr. Call with mutex_ held.
  const Series* Find(std::string_view key, LatencyMetric metric) const;

  const LatencyOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::routing

// LatencyTracker: live latency per target ("provider/model") from recent traffic, for the
// `fastest` strategy — an exponentially weighted moving average of time to first token (streams)
// and of total latency, each with its sample count and the time of its latest sample, so that a
// strategy can tell a fresh estimate from a stale one.
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
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::routing {

enum class LatencyMetric { kTtft, kTotal };

struct LatencyOptions {
  double alpha = 0.3;              // weight of the newest sample in the average
  std::size_t max_targets = 4096;  // bound on tracked targets; the least recently sampled goes
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

 private:
  struct Entry {
    std::optional<LatencyEstimate> ttft;
    std::optional<LatencyEstimate> total;
    std::chrono::steady_clock::time_point last_sample{};
  };

  const LatencyOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace switchyard::routing

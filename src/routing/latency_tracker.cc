#include "routing/latency_tracker.h"

#include <algorithm>

namespace switchyard::routing {

LatencyTracker::LatencyTracker(LatencyOptions options) : options_(options) {}

void LatencyTracker::Record(std::string_view key, LatencyMetric metric,
                            std::chrono::microseconds latency,
                            std::chrono::steady_clock::time_point now) {
  const double ms = std::max<double>(0, static_cast<double>(latency.count()) / 1000.0);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_targets && !entries_.empty()) {
      // Full (clients can name any model): forget the target sampled least recently.
      entries_.erase(std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
        return a.second.last_sample < b.second.last_sample;
      }));
    }
    it = entries_.emplace(std::string(key), Entry{}).first;
  }
  Entry& entry = it->second;
  entry.last_sample = now;
  std::optional<LatencyEstimate>& estimate =
      metric == LatencyMetric::kTtft ? entry.ttft : entry.total;
  if (!estimate) {
    estimate = LatencyEstimate{ms, 1, now};
    return;
  }
  estimate->average_ms += options_.alpha * (ms - estimate->average_ms);
  ++estimate->samples;
  estimate->last_sample = now;
}

std::optional<LatencyEstimate> LatencyTracker::Estimate(std::string_view key,
                                                        LatencyMetric metric) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return metric == LatencyMetric::kTtft ? it->second.ttft : it->second.total;
}

}  // namespace switchyard::routing

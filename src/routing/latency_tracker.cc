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
  std::unique_ptr<Series>& series = metric == LatencyMetric::kTtft ? entry.ttft : entry.total;
  if (!series) {
    series = std::make_unique<Series>(
        Series{LatencyEstimate{ms, 1, now},
               LatencyWindow(options_.window / static_cast<int>(LatencyWindow::kSlices))});
    series->window.Add(ms, now);
    return;
  }
  series->average.average_ms += options_.alpha * (ms - series->average.average_ms);
  ++series->average.samples;
  series->average.last_sample = now;
  series->window.Add(ms, now);
}

const LatencyTracker::Series* LatencyTracker::Find(std::string_view key,
                                                   LatencyMetric metric) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  return (metric == LatencyMetric::kTtft ? it->second.ttft : it->second.total).get();
}

std::optional<LatencyEstimate> LatencyTracker::Estimate(std::string_view key,
                                                        LatencyMetric metric) const {
  std::lock_guard lock(mutex_);
  const Series* series = Find(key, metric);
  if (series == nullptr) return std::nullopt;
  return series->average;
}

std::optional<double> LatencyTracker::Quantile(std::string_view key, LatencyMetric metric,
                                               double q,
                                               std::chrono::steady_clock::time_point now,
                                               std::int64_t min_samples) const {
  std::lock_guard lock(mutex_);
  const Series* series = Find(key, metric);
  if (series == nullptr) return std::nullopt;
  return series->window.Quantile(q, now, min_samples);
}

std::optional<LatencyQuantiles> LatencyTracker::Quantiles(
    std::string_view key, LatencyMetric metric, std::chrono::steady_clock::time_point now) const {
  std::lock_guard lock(mutex_);
  const Series* series = Find(key, metric);
  if (series == nullptr) return std::nullopt;
  return series->window.Quantiles(now);
}

}  // namespace switchyard::routing

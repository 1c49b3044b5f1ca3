#include "routing/health.h"

#include <algorithm>

namespace switchyard::routing {

FailureKind FailureKindOf(ErrorKind kind, int upstream_status) {
  switch (kind) {
    case ErrorKind::kUpstreamConnect:
    case ErrorKind::kUpstreamTimeout:
    case ErrorKind::kUpstreamProtocol:
      return FailureKind::kFault;
    case ErrorKind::kCancelled:
      return FailureKind::kCancelled;
    case ErrorKind::kUpstreamStatus:
      if (upstream_status == 429) return FailureKind::kRateLimited;
      if (upstream_status >= 500 || upstream_status == 408) return FailureKind::kFault;
      return FailureKind::kRejected;
    default:
      // The gateway's own errors (bad request, shutdown, a bug) say nothing about the target.
      return FailureKind::kRejected;
  }
}

HealthRegistry::HealthRegistry(HealthOptions options) : options_(options) {}

const HealthRegistry::Entry* HealthRegistry::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

HealthRegistry::Entry* HealthRegistry::FindOrAdd(std::string_view key, SteadyTime now) {
  if (auto it = entries_.find(key); it != entries_.end()) return &it->second;
  if (entries_.size() >= options_.max_targets) {
    // Make room by forgetting targets with nothing worth keeping: closed, not cooling, no failure
    // run. Their error-rate window is lost, which only delays a trip.
    std::erase_if(entries_, [&](const Map::value_type& item) {
      const Entry& entry = item.second;
      return !entry.open && entry.cool_until <= now && entry.consecutive_failures == 0;
    });
    if (entries_.size() >= options_.max_targets) return nullptr;
  }
  Entry& entry = entries_[std::string(key)];
  entry.window_start = now;
  return &entry;
}

bool HealthRegistry::ProbeFree(const Entry& entry, SteadyTime now) const {
  return !entry.probe_in_flight || now - entry.probe_started >= options_.probe_timeout;
}

void HealthRegistry::CountCall(Entry& entry, SteadyTime now, bool failed) const {
  if (now - entry.window_start >= options_.window) {
    entry.window_start = now;
    entry.window_calls = 0;
    entry.window_failures = 0;
  }
  ++entry.window_calls;
  if (failed) ++entry.window_failures;
}

void HealthRegistry::Open(Entry& entry, SteadyTime now) const {
  entry.open = true;
  entry.open_until = now + options_.cool_off;
  entry.probe_in_flight = false;
  entry.consecutive_failures = 0;
  entry.window_start = now;
  entry.window_calls = 0;
  entry.window_failures = 0;
}

bool HealthRegistry::Available(std::string_view key, SteadyTime now) const {
  std::lock_guard lock(mutex_);
  const Entry* entry = Find(key);
  if (entry == nullptr) return true;
  if (now < entry->cool_until) return false;
  if (!entry->open) return true;
  if (now < entry->open_until) return false;
  return ProbeFree(*entry, now);  // half-open
}

void HealthRegistry::BeginAttempt(std::string_view key, SteadyTime now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  if (entry.open && now >= entry.open_until && ProbeFree(entry, now)) {
    entry.probe_in_flight = true;
    entry.probe_started = now;
  }
}

void HealthRegistry::RecordSuccess(std::string_view key, SteadyTime now) {
  std::lock_guard lock(mutex_);
  Entry* entry = FindOrAdd(key, now);
  if (entry == nullptr) return;
  entry->last_touched = now;
  if (entry->open) {
    // Only a success after the cool-off (the probe, or a last-resort try) closes the breaker; one
    // that started before the breaker opened and finished late proves little.
    if (now < entry->open_until) return;
    entry->open = false;
    entry->probe_in_flight = false;
    entry->window_start = now;
    entry->window_calls = 0;
    entry->window_failures = 0;
  }
  entry->consecutive_failures = 0;
  CountCall(*entry, now, /*failed=*/false);
}

void HealthRegistry::RecordFailure(std::string_view key, SteadyTime now, FailureKind kind) {
  std::lock_guard lock(mutex_);
  if (kind != FailureKind::kFault) {
    // Neutral: settles a half-open probe so that the next call may probe, and nothing else.
    auto it = entries_.find(key);
    if (it != entries_.end()) it->second.probe_in_flight = false;
    return;
  }
  Entry* entry = FindOrAdd(key, now);
  if (entry == nullptr) return;
  entry->last_touched = now;
  if (entry->open) {
    if (now >= entry->open_until) Open(*entry, now);  // the probe failed: another cool-off
    return;
  }
  ++entry->consecutive_failures;
  CountCall(*entry, now, /*failed=*/true);
  const bool run = entry->consecutive_failures >= options_.consecutive_failures;
  const bool rate = entry->window_calls >= options_.min_calls &&
                    entry->window_failures * 100 >= options_.error_rate_percent * entry->window_calls;
  if (run || rate) Open(*entry, now);
}

void HealthRegistry::CoolDown(std::string_view key, SteadyTime until) {
  std::lock_guard lock(mutex_);
  // The cool-down's start is the best "now" available here; it only matters for eviction.
  Entry* entry = FindOrAdd(key, SteadyTime{});
  if (entry == nullptr) return;
  entry->cool_until = std::max(entry->cool_until, until);
}

TargetHealth HealthRegistry::Inspect(std::string_view key, SteadyTime now) const {
  std::lock_guard lock(mutex_);
  TargetHealth out;
  const Entry* entry = Find(key);
  if (entry == nullptr) return out;
  out.state = !entry->open                ? BreakerState::kClosed
              : now < entry->open_until ? BreakerState::kOpen
                                        : BreakerState::kHalfOpen;
  out.consecutive_failures = entry->consecutive_failures;
  out.window_calls = entry->window_calls;
  out.window_failures = entry->window_failures;
  out.probe_in_flight = entry->probe_in_flight && !ProbeFree(*entry, now);
  out.open_until = entry->open_until;
  out.cool_until = entry->cool_until;
  return out;
}

}  // namespace switchyard::routing

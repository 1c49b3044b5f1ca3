// Latency tracker benchmarks (issue 12): what the routing feedback pays per attempt (Record) and a
// `fastest` decision per target (Estimate), under the tracker's one mutex, uncontended.
//
//   BUILD_DIR=build-bench BUILD_TYPE=Release bash scripts/build.sh -DSWITCHYARD_BENCH=ON
//   build-bench/micro_bench --benchmark_filter=Latency
//
// Both run with 64 targets tracked, each with samples in both metrics, and keys as the gateway
// builds them ("provider/model"). The clock advances 10 ms per Record, so that the window's time
// slices rotate as they do under traffic.
// - BM_LatencyRecord: one Record of a target's total latency.
// - BM_LatencyEstimate: one Estimate (the moving average `fastest` compares).
// - BM_LatencyQuantiles: p50/p90/p99 of one target's window in one call.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "routing/latency_tracker.h"

namespace switchyard::routing {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr int kTargets = 64;

struct Fixture {
  Fixture() {
    for (int i = 0; i < kTargets; ++i) keys.push_back("provider" + std::to_string(i) + "/model-x");
    for (int round = 0; round < 50; ++round) {
      for (const std::string& key : keys) Tick(key);
    }
  }
  void Tick(const std::string& key) {
    now += milliseconds(10);
    const microseconds latency(200'000 + (n++ * 7919) % 800'000);
    tracker.Record(key, LatencyMetric::kTotal, latency, now);
    tracker.Record(key, LatencyMetric::kTtft, latency / 4, now);
  }
  LatencyTracker tracker;
  std::vector<std::string> keys;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{};
  std::int64_t n = 0;
};

void BM_LatencyRecord(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    f.now += milliseconds(10);
    f.tracker.Record(f.keys[i++ % kTargets], LatencyMetric::kTotal,
                     microseconds(200'000 + (i * 7919) % 800'000), f.now);
  }
}
BENCHMARK(BM_LatencyRecord);

void BM_LatencyEstimate(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.tracker.Estimate(f.keys[i++ % kTargets], LatencyMetric::kTotal));
  }
}
BENCHMARK(BM_LatencyEstimate);

}  // namespace
}  // namespace switchyard::routing

namespace switchyard::routing {
namespace {

void BM_LatencyQuantiles(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        f.tracker.Quantiles(f.keys[i++ % kTargets], LatencyMetric::kTotal, f.now));
  }
}
BENCHMARK(BM_LatencyQuantiles);

}  // namespace
}  // namespace switchyard::routing
